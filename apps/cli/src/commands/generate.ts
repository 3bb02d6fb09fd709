import { writeFile } from "node:fs/promises";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { generateScenario, SIZE_PRESETS, writeScenarioFile, type ScenarioSize } from "@wshub/sandbox";
import { EXIT } from "../exit-codes.js";

/** `wshub generate --size M --seed 42 --out m.json`: a deterministic scenario and the tenant mapping that fits it. */
export async function generateCommand(options: { size: string; seed: string; out: string }): Promise<number> {
  if (!(options.size in SIZE_PRESETS))
    throw new WshubError(ERROR_CODES.CONFIG_INVALID, `--size takes one of ${Object.keys(SIZE_PRESETS).join(", ")}`, {
      size: options.size,
    });
  const generated = generateScenario({ seed: Number(options.seed), size: options.size as ScenarioSize });
  await writeScenarioFile(generated.scenario, options.out);
  await writeFile(`${options.out}.mapping.json`, `${JSON.stringify(generated.mapping, null, 2)}\n`);
  const { findingsPerAccount: _perAccount, ...facts } = generated.facts;
  process.stdout.write(
    `${JSON.stringify({ scenario: options.out, mapping: `${options.out}.mapping.json`, facts }, null, 2)}\n`,
  );
  return EXIT.OK;
}
