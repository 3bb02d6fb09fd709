import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { HubConfigInput } from "@wshub/core";
import type { CallCounter } from "@wshub/sandbox";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `wshub <command> --json` as its own process (tsx), its JSON answer and wall time. */
export async function wshub(
  command: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ json: Record<string, unknown>; wallMs: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--max-old-space-size=2048", "--import", "tsx", join(ROOT, "apps/cli/src/main.ts"), ...command, "--json"],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      maxBuffer: 200_000_000,
    },
  );
  return { json: JSON.parse(stdout) as Record<string, unknown>, wallMs: Math.round(performance.now() - started) };
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
