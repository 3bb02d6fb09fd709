import type { ChildProcess } from "node:child_process";
import { procStatusMb } from "@wshub/cli";

const SAMPLE_MS = 250;

/**
 * Where a `wshub` process's memory peaks: its RSS sampled every 250 ms, attributed to the stage its info
 * log had last started ("stage started", from run-all.ts), "start" before the first. One figure a stage: its peak;
 * and when each stage started (epoch ms), to line the run up with other processes' samples.
 */
export function stageMemory(child: ChildProcess): {
  peaks(): Record<string, number>;
  startedAt(): Record<string, number>;
} {
  const peaks: Record<string, number> = {};
  const startedAt: Record<string, number> = { start: Date.now() };
  let stage = "start";
  let pending = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString("utf8")).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const started = /"message":"stage started","stage":"([^"]+)"/.exec(line);
      if (started?.[1]) startedAt[(stage = started[1])] = Date.now();
    }
  });
  const timer = setInterval(() => {
    const mb = child.pid === undefined ? 0 : (procStatusMb(child.pid, "VmRSS") ?? 0);
    peaks[stage] = Math.max(peaks[stage] ?? 0, mb);
  }, SAMPLE_MS);
  child.once("exit", () => clearInterval(timer));
  return { peaks: () => ({ ...peaks }), startedAt: () => ({ ...startedAt }) };
}
