import {
  builtInScenarioPath,
  generateScenario,
  loadScenarioFile,
  startSandbox,
  type FaultConfig,
  type Sandbox,
  type Scenario,
  type ScenarioSize,
} from "@wshub/sandbox";
import { readFileSync } from "node:fs";

export interface SandboxSource {
  scenario?: string;
  /** Generate a scenario of this size instead of loading one. */
  generate?: ScenarioSize;
  seed?: number;
  faults?: string;
}

export type GeneratedMapping = ReturnType<typeof generateScenario>["mapping"];

/** Load the scenario (a file, a generated one, or the built-in example-small) and start the sandbox. */
export async function startSandboxFrom(
  source: SandboxSource,
): Promise<{ sandbox: Sandbox; scenario: Scenario; mapping?: GeneratedMapping }> {
  const { scenario, mapping } = scenarioFrom(source);
  const faults = source.faults ? (JSON.parse(readFileSync(source.faults, "utf8")) as FaultConfig) : undefined;
  const sandbox = await startSandbox(scenario, faults ? { faults } : {});
  return { sandbox, scenario, ...(mapping ? { mapping } : {}) };
}

function scenarioFrom(source: SandboxSource): { scenario: Scenario; mapping?: GeneratedMapping } {
  if (source.generate === undefined)
    return { scenario: loadScenarioFile(source.scenario ?? builtInScenarioPath("example-small")) };
  const generated = generateScenario({ seed: source.seed ?? 1, size: source.generate });
  return { scenario: generated.scenario, mapping: generated.mapping };
}

/** Stop the sandbox on SIGINT/SIGTERM (once), leaving no process behind. */
export function stopOnSignals(sandbox: Sandbox, after: () => void = () => process.exit(0)): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().finally(after);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
