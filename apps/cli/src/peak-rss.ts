import { readFileSync } from "node:fs";

/** A memory field of a process's `/proc/<pid>/status`, in MB; undefined where there is none (gone, or not Linux). */
export function procStatusMb(pid: number | "self", field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * This process's peak resident set, in MB. On Linux from `VmHWM` (this process's own memory since it started):
 * `getrusage`'s maxRSS also counts the parent's resident set at the fork before exec, so a child of a large
 * process (the bench's, holding an L scenario) would report the parent's size. Elsewhere, maxRSS.
 */
export function peakRssMb(): number {
  return procStatusMb("self", "VmHWM") ?? Math.round(process.resourceUsage().maxRSS / 1024);
}
