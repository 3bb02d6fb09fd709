import { stringify } from "csv-stringify/sync";
import { neutralizeFormula, type AuditEvent, type AuditQuery } from "@wshub/core";
import { EXIT } from "../exit-codes.js";
import { auditTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface AuditCommandOptions extends GlobalOptions, Omit<AuditQuery, "limit"> {
  rule?: string;
  limit?: string;
  format?: "table" | "csv" | "json";
}

/** `wshub audit`: what changed, when and why, by run, account, tenant, instance, CVE or rule, within --since/--until. */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const query: AuditQuery = {};
  for (const key of ["runId", "accountId", "tenant", "instanceId", "cve", "since", "until"] as const)
    if (options[key]) query[key] = options[key];
  if (options.rule) query.ruleIdentifier = options.rule;
  if (options.limit) query.limit = Number(options.limit);
  const events = await ctx.audit.query(query);
  const format = options.json ? "json" : (options.format ?? "table");
  if (format === "json") process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
  else if (format === "csv") process.stdout.write(auditCsv(events));
  else process.stdout.write(`${auditTable(events)}\n${events.length} event(s)\n`);
  return EXIT.OK;
}

function auditCsv(events: AuditEvent[]): string {
  const rows = events.map((e) =>
    [
      e.at,
      e.eventId,
      e.runId,
      e.actor,
      e.mode,
      e.action,
      e.tenant,
      e.accountId,
      e.region,
      e.instanceId,
      e.computerId,
      e.policyId,
      e.targetKind,
      e.targetId,
      e.ruleIds.join(" "),
      e.ruleIdentifiers.join(" "),
      e.cves.join(" "),
      e.answer?.status ?? "",
      (e.answer?.assignedRuleIds ?? []).join(" "),
      e.reason ?? "",
      e.changeId,
    ].map((v) => neutralizeFormula(String(v))),
  );
  return stringify([
    [
      "at",
      "event_id",
      "run_id",
      "actor",
      "mode",
      "action",
      "tenant",
      "account_id",
      "region",
      "instance_id",
      "computer_id",
      "policy_id",
      "target_kind",
      "target_id",
      "rule_ids",
      "rule_identifiers",
      "cves",
      "api_status",
      "assigned_rule_ids",
      "reason",
      "change_id",
    ],
    ...rows,
  ]);
}
