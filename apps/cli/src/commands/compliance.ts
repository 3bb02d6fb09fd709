import { stringify } from "csv-stringify/sync";
import { neutralizeFormula, parseRuleParameters, type RuleParameters } from "@wshub/core";
import { evaluateOrganizationCompliance, type ComplianceRow } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface ComplianceCommandOptions extends GlobalOptions {
  /** Rule parameters as JSON (InputParameters), repeatable. */
  rule?: string[];
}

/** Without --rule: the agent, IPS-in-prevent and warnings rules (ws-policy needs the policy names). */
export const DEFAULT_RULES = [
  '{"rule":"ws-agent-active"}',
  '{"rule":"ws-module-on","module":"intrusionPrevention"}',
  '{"rule":"ws-clear-of-warnings"}',
];

const COLUMNS: [header: string, value: (row: ComplianceRow) => string][] = [
  ["account", (r) => r.accountId],
  ["region", (r) => r.region],
  ["instance", (r) => r.resourceId],
  ["rule", (r) => r.rule],
  ["compliance", (r) => r.compliance],
  ["annotation", (r) => r.annotation],
];

/** `wshub compliance`: the Config rules' results for the organization, evaluated now (nothing is put). */
export async function complianceCommand(options: ComplianceCommandOptions): Promise<number> {
  const rules: RuleParameters[] = (options.rule ?? DEFAULT_RULES).map((json) => parseRuleParameters(json));
  const ctx = await openHub(options);
  const result = await evaluateOrganizationCompliance(ctx, rules);
  const headers = COLUMNS.map(([header]) => header);
  const rows = result.rows.map((row) => COLUMNS.map(([, value]) => value(row)));
  if (options.output === "json") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (options.output === "csv")
    process.stdout.write(stringify([headers, ...rows.map((row) => row.map((v) => neutralizeFormula(v)))]));
  else {
    process.stdout.write(`${textTable(headers, rows)}\n`);
    for (const s of result.skipped)
      process.stderr.write(`skipped ${s.accountId}${s.region ? ` ${s.region}` : ""}: ${s.reason}\n`);
  }
  return EXIT.OK;
}
