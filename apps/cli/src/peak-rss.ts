import { readFileSync } from "node:fs";

/**
 * This process's peak resident set, in MB. On Linux from `VmHWM` (this process's own memory since it started):
 * `getrusage`'s maxRSS also counts the parent's resident set at the fork before exec, so a child of a large
 * process (the bench's, holding an L scenario) would report the parent's size. Elsewhere, maxRSS.
 */
export function peakRssMb(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb !== undefined) return Math.round(Number(kb) / 1024);
  } catch {
    // Not Linux: fall through.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
