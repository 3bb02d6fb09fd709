import { cliLogger, demoConfig } from "@wshub/cli";
import { parseHubConfig, type HubConfig, type HubConfigInput } from "@wshub/core";
import { createHubContext, ensureTables, type RuntimeOptions } from "@wshub/runtime";
import {
  builtInScenarioPath,
  loadScenarioFile,
  startSandbox,
  type FaultConfig,
  type Sandbox,
  type Scenario,
} from "@wshub/sandbox";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type HubUnderTest = ReturnType<typeof createHubContext>;

export function exampleSmall(): Scenario {
  return loadScenarioFile(builtInScenarioPath("example-small"));
}

export interface World {
  sandbox: Sandbox;
  scenario: Scenario;
  outputDir: string;
  /** A hub on this sandbox; `changes` edit the demo configuration (example-small's mapping); `extra` e.g. a clock. */
  hub(changes?: (config: HubConfigInput) => void, extra?: Pick<RuntimeOptions, "clock">): Promise<HubUnderTest>;
  config(changes?: (config: HubConfigInput) => void): HubConfig;
  stop(): Promise<void>;
}

/** Start a sandbox for a scenario and hand out hub contexts pointed at it (tables created once). */
export async function startWorld(scenario: Scenario = exampleSmall(), faults?: FaultConfig): Promise<World> {
  const sandbox = await startSandbox(scenario, faults ? { faults } : {});
  const outputDir = mkdtempSync(join(tmpdir(), "wshub-e2e-"));
  let tablesReady = false;
  const config = (changes?: (config: HubConfigInput) => void) => {
    const input = demoConfig(sandbox.info, outputDir);
    changes?.(input);
    return parseHubConfig(input, "test configuration");
  };
  return {
    sandbox,
    scenario,
    outputDir,
    config,
    async hub(changes, extra = {}) {
      const ctx = createHubContext({
        ...extra,
        config: config(changes),
        logger: cliLogger({ human: true, level: "error" }),
        credentials: {
          accessKeyId: sandbox.info.aws.hub.accessKeyId,
          secretAccessKey: sandbox.info.aws.hub.secretAccessKey,
        },
        emlDir: join(outputDir, "emails"),
        backoff: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
      });
      if (!tablesReady) {
        await ensureTables(ctx);
        tablesReady = true;
      }
      return ctx;
    },
    stop: () => sandbox.stop(),
  };
}
