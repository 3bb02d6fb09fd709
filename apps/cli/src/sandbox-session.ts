import type { FaultConfig, Sandbox, Scenario, ScenarioSize } from "@wshub/sandbox";
import { readFileSync } from "node:fs";
import { onLauncherExit } from "./launcher-chain.js";
import { loadSandbox, type SandboxModule } from "./sandbox-module.js";

export interface SandboxSource {
  scenario?: string;
  /** Generate a scenario of this size instead of loading one. */
  generate?: ScenarioSize;
  seed?: number;
  faults?: string;
}

export type GeneratedMapping = ReturnType<SandboxModule["generateScenario"]>["mapping"];

/** Load the scenario (a file, a generated one, or the built-in example-small) and start the sandbox. */
export async function startSandboxFrom(
  source: SandboxSource,
): Promise<{ sandbox: Sandbox; scenario: Scenario; mapping?: GeneratedMapping }> {
  const sandboxModule = await loadSandbox();
  const { scenario, mapping } = scenarioFrom(sandboxModule, source);
  const faults = source.faults ? (JSON.parse(readFileSync(source.faults, "utf8")) as FaultConfig) : undefined;
  const sandbox = await sandboxModule.startSandbox(scenario, faults ? { faults } : {});
  return { sandbox, scenario, ...(mapping ? { mapping } : {}) };
}

function scenarioFrom(
  sandbox: SandboxModule,
  source: SandboxSource,
): { scenario: Scenario; mapping?: GeneratedMapping } {
  if (source.generate === undefined)
    return { scenario: sandbox.loadScenarioFile(source.scenario ?? sandbox.builtInScenarioPath("example-small")) };
  const generated = sandbox.generateScenario({ seed: source.seed ?? 1, size: source.generate });
  return { scenario: generated.scenario, mapping: generated.mapping };
}

/**
 * Stop the sandbox (once), leaving no process behind: on SIGINT/SIGTERM, and when a process that launched it ends
 * (`./dev`, pnpm or tsx killed, even with SIGKILL, would otherwise leave it running with moto and DynamoDB Local).
 */
export function stopOnSignals(sandbox: Sandbox, options: { launchers?: number[]; after?: () => void } = {}): void {
  const after = options.after ?? (() => process.exit(0));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().finally(after);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  onLauncherExit(
    (ended) => {
      // Whoever read stderr may be gone with the launcher: a failed write must not keep the sandbox up.
      process.stderr.once("error", () => undefined);
      process.stderr.write(`wshub: process ${ended}, which launched the sandbox, ended: stopping the sandbox\n`);
      stop();
    },
    options.launchers ? { recorded: options.launchers } : {},
  );
}
