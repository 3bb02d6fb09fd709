import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HubConfigInput } from "@wshub/core";
import type { CallCounter, ScenarioSize } from "@wshub/sandbox";
import { bundleCli } from "../../apps/cli/scripts/bundle.js";
import { heapTrace, type HeapPeaks } from "./heap-trace.js";
import { stageMemory } from "./stage-memory.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * The hub's main-thread heap cap by size, as docs/performance.md recommends running wshub (report workers have their
 * own, report-pool.ts); WSHUB_BENCH_HEAP_MB overrides. Under a high cap V8 lets garbage grow the heap: the M run peaked
 * at 1,024-1,140 MB under 2 GB and at 622-645 MB under 256 MB (2026-12-04).
 */
const HEAP_MB: Record<ScenarioSize, number> = { tiny: 256, S: 256, M: 256, L: 1024 };

/** How the hub process runs: its environment (credentials, region) and its heap cap. */
export interface HubProcess {
  env: NodeJS.ProcessEnv;
  heapMb: number;
}

export function hubProcess(size: ScenarioSize, env: NodeJS.ProcessEnv): HubProcess {
  const heapMb = Number(process.env["WSHUB_BENCH_HEAP_MB"] ?? HEAP_MB[size]);
  // glibc's malloc keeps up to 8 arenas a core for the threads (libuv's pool, V8's, the workers): 2 held ~40 MB less.
  return { env: { MALLOC_ARENA_MAX: "2", ...env }, heapMb };
}
/** `bundle` (default): the CLI as it ships, built once (apps/cli/scripts/bundle.ts); `tsx`: from the sources. */
const CLI_FORM = process.env["WSHUB_BENCH_CLI"] ?? "bundle";

export function cliForm(): string {
  return CLI_FORM === "tsx" ? "tsx (sources)" : "bundled";
}

let bundled: Promise<string> | undefined;
/** How the hub process starts: node's arguments before the command. */
async function cliEntry(): Promise<string[]> {
  if (CLI_FORM === "tsx") return ["--import", "tsx", join(ROOT, "apps/cli/src/main.ts")];
  bundled ??= bundleCli();
  return [await bundled];
}

/**
 * `wshub <command> --json` as its own process (the bundled CLI, or tsx with WSHUB_BENCH_CLI=tsx), its JSON answer,
 * wall time, peak RSS a stage (stage-memory.ts; from its "stage started" log lines) and each isolate's peak heap
 * (heap-trace.ts). With `profileDir`, the process (and its worker threads) writes
 * CPU profiles there (`--cpu-prof`; profile-summary.ts reads them).
 */
export async function wshub(
  command: string[],
  { env, heapMb }: HubProcess,
  profileDir?: string,
): Promise<{
  json: Record<string, unknown>;
  wallMs: number;
  stageRssMb: Record<string, number>;
  stageStartedAt: Record<string, number>;
  heaps: HeapPeaks;
}> {
  const entry = await cliEntry();
  const trace = heapTrace();
  const started = performance.now();
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, ...profile, ...entry, ...command, "--json"],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, ...trace.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  );
  const memory = stageMemory(child);
  const stdout: Buffer[] = [];
  const stderrTail: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail.push(chunk.toString("utf8"));
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  const text = Buffer.concat(stdout).toString("utf8");
  if (code !== 0 && !text.trim().startsWith("{"))
    throw new Error(`wshub ${command[0]} exited ${code ?? signal}: ${stderrTail.join("").slice(-2000)}`);
  return {
    json: JSON.parse(text) as Record<string, unknown>,
    wallMs: Math.round(performance.now() - started),
    stageRssMb: memory.peaks(),
    stageStartedAt: memory.startedAt(),
    heaps: trace.peaks(),
  };
}

export /** `wshub assign --apply` with target computer, every workload account allowed, head room for every target. */
async function benchAssign(config: HubConfigInput, dir: string, hub: HubProcess, counter: CallCounter) {
  const assignConfig = {
    ...config,
    assignment: {
      mode: "off",
      target: "computer",
      allow: { organizationalUnits: ["ou-wl00-workloads", "ou-sb00-sandbox"] },
      maxTargetsPerRun: 10_000,
    },
  };
  const assignFile = join(dir, "assign.json");
  writeFileSync(assignFile, JSON.stringify(assignConfig));
  counter.reset();
  const assign = await wshub(["assign", "--apply", "--config", assignFile], hub);
  const ws = counter.snapshot()["workload-security"]?.byOperation ?? {};
  const assignmentCallsAtSandbox =
    (ws["addIntrusionPreventionRuleIDsToComputer"] ?? 0) + (ws["addIntrusionPreventionRuleIDsToPolicy"] ?? 0);
  const changes = (assign.json["changes"] as { mode: string; blockedReason?: string }[]).filter(
    (c) => c.mode === "apply" && !c.blockedReason,
  ).length;
  return { wallMs: assign.wallMs, changes, callsReported: assign.json["calls"], assignmentCallsAtSandbox };
}
