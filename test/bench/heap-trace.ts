import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Sample {
  heapTotal: number;
  arrayBuffers: number;
}

export interface HeapPeaks {
  /** The main thread's largest V8 heap (heapTotal: what it holds of the RSS, garbage included). */
  mainHeapMb: number;
  /** The report workers' largest heaps, added up. */
  workerHeapMb: number;
  /** The report workers' largest ArrayBuffer memory (buffers of the files they render), added up. */
  workerBuffersMb: number;
}

/** The hub's WSHUB_MEMORY_TRACE files (apps/cli/src/peak-rss.ts): each isolate's peaks, so the RSS can be split. */
export function heapTrace(): { env: NodeJS.ProcessEnv; peaks(): HeapPeaks } {
  const dir = mkdtempSync(join(tmpdir(), "wshub-heap-"));
  const file = join(dir, "main");
  const samples = (name: string): Sample[] =>
    readFileSync(join(dir, name), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Sample);
  const peak = (rows: Sample[], field: keyof Sample) => Math.max(0, ...rows.map((row) => row[field]));
  return {
    env: { WSHUB_MEMORY_TRACE: file },
    peaks() {
      const names = readdirSync(dir);
      const workers = names.filter((name) => name.startsWith("main.worker-")).map(samples);
      const peaks = {
        mainHeapMb: names.includes("main") ? peak(samples("main"), "heapTotal") : 0,
        workerHeapMb: workers.reduce((sum, rows) => sum + peak(rows, "heapTotal"), 0),
        workerBuffersMb: workers.reduce((sum, rows) => sum + peak(rows, "arrayBuffers"), 0),
      };
      rmSync(dir, { recursive: true, force: true });
      return peaks;
    },
  };
}
