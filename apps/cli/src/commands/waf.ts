import type { WafMode, WafRow, WebAclTarget } from "@wshub/core";
import { runWafCheck, type HubContext, type WafRunOutcome } from "@wshub/hub";
import { writeWafCsv } from "@wshub/reports";
import { EXIT } from "../exit-codes.js";
import { auditTable, textTable } from "../format.js";
import { loadConfigFile, resolveConfigPath } from "../config-file.js";
import { openHubWith, type GlobalOptions } from "../hub.js";

export interface WafCommandOptions extends GlobalOptions {
  /** Overrides `waf.mode` for this invocation. */
  mode?: Exclude<WafMode, "off">;
}

/**
 * `wshub waf [--mode recommend|apply]`: every account and region's ALBs and CloudFront distributions, their WebACLs
 * and the managed rule groups the protected instances behind them call for; with `apply`, the plan is printed, then
 * the missing groups are added in count mode (guard rails and audit trail as in the weekly run).
 */
export async function wafCommand(options: WafCommandOptions): Promise<number> {
  const config = loadConfigFile(resolveConfigPath(options.config));
  const mode = options.mode ?? config.waf.mode;
  const ctx = await openHubWith({ ...config, waf: { ...config.waf, mode } }, options);
  return wafWith(ctx, options);
}

/** The command on a built context (tests build theirs against the sandbox). */
export async function wafWith(ctx: HubContext, options: WafCommandOptions): Promise<number> {
  const identity = await ctx.identity();
  const json = options.output === "json";
  const plans: WebAclTarget[] = [];
  const onPlan = (targets: WebAclTarget[]) => {
    plans.push(...targets);
    if (!json) process.stdout.write(`${planText(targets)}\n`);
  };
  const outcome = await runWafCheck(ctx, {
    actor: identity.arn,
    ...(options.mode ? { mode: options.mode } : {}),
    onPlan,
  });
  if (json) process.stdout.write(`${JSON.stringify({ ...outcome, plan: plans }, null, 2)}\n`);
  else if (options.output === "csv") await writeWafCsv(process.stdout, outcome.rows);
  else process.stdout.write(tableText(outcome));
  for (const error of outcome.errors)
    process.stderr.write(`wshub: ${error.subject}: ${error.code}: ${error.message}\n`);
  if (outcome.stopped) {
    process.stderr.write(`wshub: ${outcome.stopped.message}\n`);
    return EXIT.GUARD_RAIL;
  }
  return outcome.events.some((e) => e.action === "failed") ? EXIT.RUN_FAILED : EXIT.OK;
}

/** The terminal table's columns (`-o csv` prints every column of the report's waf.csv). */
const COLUMNS: [header: string, value: (row: WafRow) => string][] = [
  ["flag", (r) => (r.flagged ? "!" : "")],
  ["account", (r) => r.accountId],
  ["region", (r) => r.region],
  ["kind", (r) => r.resourceKind],
  ["resource", (r) => r.resourceName],
  ["webacl", (r) => (r.webAclKind === "wafv2" ? (r.webAcl.split("/").at(-2) ?? r.webAcl) : r.webAclKind)],
  ["protected", (r) => r.protectedInstanceIds.join(" ")],
  ["class", (r) => r.classes.join(" ")],
  ["status", (r) => r.status],
  ["missing groups", (r) => r.missingGroups.map((g) => g.name).join(" ")],
  ["reason", (r) => r.reason],
];

function planText(targets: WebAclTarget[]): string {
  if (targets.length === 0) return "plan: no WebACL lacks a recommended group\n";
  const rows = targets.map((t) => [t.accountId, t.region, t.webAclArn, t.groups.map((g) => g.name).join(" ")]);
  return `plan (count mode, after the existing rules):\n${textTable(["account", "region", "webacl", "add"], rows)}\n`;
}

function tableText(outcome: WafRunOutcome): string {
  const headers = COLUMNS.map(([header]) => header);
  const rows = outcome.rows.map((row: WafRow) => COLUMNS.map(([, value]) => value(row)));
  const applied = outcome.mode === "apply" ? `\n${auditTable(outcome.events)}\n` : "";
  const summary = `${outcome.rows.length} resource(s), ${outcome.rows.filter((r) => r.flagged).length} flagged; mode ${outcome.mode}; ${outcome.calls} AWS call(s), ${outcome.updates} UpdateWebACL`;
  return `${textTable(headers, rows)}\n${applied}\n${summary}\n`;
}
