import { writeFile } from "node:fs/promises";
import type { ScenarioSize } from "@wshub/sandbox";
import { EXIT } from "../exit-codes.js";
import { localLogger } from "../logger.js";
import type { CommandOptions } from "../options.js";
import { loadSandbox } from "../sandbox-module.js";

export interface GenerateOptions extends CommandOptions {
  /** One of SIZE_PRESETS' keys and a 32-bit seed: the command line checks both (main.ts). */
  size: ScenarioSize;
  seed: number;
  out: string;
}

/** `wshub generate --size M --seed 42 --out m.json`: a deterministic scenario and the tenant mapping that fits it. */
export async function generateCommand(options: GenerateOptions): Promise<number> {
  const { generateScenario, writeScenarioFile } = await loadSandbox();
  const logger = localLogger(options.verbose);
  const generated = generateScenario({ seed: options.seed, size: options.size });
  logger.debug("scenario generated", { name: generated.scenario.name, generationMs: generated.facts.generationMs });
  const started = performance.now();
  await writeScenarioFile(generated.scenario, options.out);
  logger.debug("scenario written", { file: options.out, ms: Math.round(performance.now() - started) });
  await writeFile(`${options.out}.mapping.json`, `${JSON.stringify(generated.mapping, null, 2)}\n`);
  const { findingsPerAccount: _perAccount, ...facts } = generated.facts;
  process.stdout.write(
    `${JSON.stringify({ scenario: options.out, mapping: `${options.out}.mapping.json`, facts }, null, 2)}\n`,
  );
  return EXIT.OK;
}
