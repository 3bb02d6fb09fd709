import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Scenario } from "../scenario/types.js";

/**
 * Stream a scenario to a JSON file, one finding at a time: 2 million findings are ~800 MB of JSON, more than one
 * JavaScript string may hold.
 */
export async function writeScenarioFile(scenario: Scenario, path: string): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  const { findings, ...rest } = scenario;
  const head = JSON.stringify({ ...rest, findings: [] }, null, 0);
  // Everything but the findings, then the findings spliced into the empty array.
  const cut = head.lastIndexOf('"findings":[]') + '"findings":['.length;
  await write(head.slice(0, cut));
  for (let i = 0; i < findings.length; i++) await write((i === 0 ? "" : ",") + JSON.stringify(findings[i]));
  await write(head.slice(cut));
  out.end();
  await once(out, "finish");
}
