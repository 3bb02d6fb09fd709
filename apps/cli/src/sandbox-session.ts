import { builtInScenarioPath, loadScenarioFile, startSandbox, type Sandbox, type Scenario, type FaultConfig } from "@wshub/sandbox";
import { readFileSync } from "node:fs";

export interface SandboxSource {
  scenario?: string;
  faults?: string;
}

/** Load the scenario (a file, or the built-in example-small) and start the sandbox. */
export async function startSandboxFrom(source: SandboxSource): Promise<{ sandbox: Sandbox; scenario: Scenario }> {
  const scenario = loadScenarioFile(source.scenario ?? builtInScenarioPath("example-small"));
  const faults = source.faults ? (JSON.parse(readFileSync(source.faults, "utf8")) as FaultConfig) : undefined;
  const sandbox = await startSandbox(scenario, faults ? { faults } : {});
  return { sandbox, scenario };
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
