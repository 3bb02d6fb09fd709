import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HubConfigInput } from "@wshub/core";
import type { CallCounter } from "@wshub/sandbox";
import { stageMemory } from "./stage-memory.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The hub process's heap cap (its main thread; report workers have their own, report-pool.ts). */
const HEAP_MB = Number(process.env["WSHUB_BENCH_HEAP_MB"] ?? "2048");

/**
 * `wshub <command> --json` as its own process (tsx), its JSON answer, wall time and peak RSS a stage (stage-memory.ts;
 * from its "stage started" log lines). With `profileDir`, the process (and its worker threads) writes
 * CPU profiles there (`--cpu-prof`; profile-summary.ts reads them).
 */
export async function wshub(
  command: string[],
  env: NodeJS.ProcessEnv,
  profileDir?: string,
): Promise<{
  json: Record<string, unknown>;
  wallMs: number;
  stageRssMb: Record<string, number>;
  stageStartedAt: Record<string, number>;
}> {
  const started = performance.now();
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const entry = join(ROOT, "apps/cli/src/main.ts");
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, ...profile, "--import", "tsx", entry, ...command, "--json"],
    { cwd: ROOT, env: { ...process.env, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } },
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
  };
}

export /** `wshub assign --apply` with target computer, every workload account allowed, head room for every target. */
async function benchAssign(config: HubConfigInput, dir: string, env: NodeJS.ProcessEnv, counter: CallCounter) {
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
  const assign = await wshub(["assign", "--apply", "--config", assignFile], env);
  const ws = counter.snapshot()["workload-security"]?.byOperation ?? {};
  const assignmentCallsAtSandbox =
    (ws["addIntrusionPreventionRuleIDsToComputer"] ?? 0) + (ws["addIntrusionPreventionRuleIDsToPolicy"] ?? 0);
  const changes = (assign.json["changes"] as { mode: string; blockedReason?: string }[]).filter(
    (c) => c.mode === "apply" && !c.blockedReason,
  ).length;
  return { wallMs: assign.wallMs, changes, callsReported: assign.json["calls"], assignmentCallsAtSandbox };
}
