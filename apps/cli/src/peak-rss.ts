import { appendFileSync, readFileSync } from "node:fs";

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

/** How often WSHUB_MEMORY_TRACE samples. */
const MEMORY_TRACE_MS = 500;

/**
 * With WSHUB_MEMORY_TRACE=FILE, append this isolate's heap and the process's RSS to FILE (`FILE.worker-N` for a
 * worker thread) every half second, one JSON line a sample, in MB: where a run's memory goes (test/bench/heap-trace.ts
 * reads it; docs/performance.md).
 */
export function traceMemory(threadId: number): void {
  const file = process.env["WSHUB_MEMORY_TRACE"];
  if (!file) return;
  const target = threadId === 0 ? file : `${file}.worker-${threadId}`;
  const started = performance.now();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  setInterval(() => {
    const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
    const sample = {
      ms: Math.round(performance.now() - started),
      heapUsed: mb(heapUsed),
      heapTotal: mb(heapTotal),
      external: mb(external),
      arrayBuffers: mb(arrayBuffers),
      rss: mb(rss),
    };
    appendFileSync(target, `${JSON.stringify(sample)}\n`);
  }, MEMORY_TRACE_MS).unref();
}
