import { stringify } from "csv-stringify/sync";
import { neutralizeFormula, type AuditEvent, type AuditQuery } from "@wshub/core";
import { EXIT } from "../exit-codes.js";
import { auditTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface AuditCommandOptions extends GlobalOptions {
  run?: string;
  account?: string;
  tenant?: string;
  instance?: string;
  cve?: string;
  rule?: string;
  /** Validated and normalised to UTC ISO 8601 by the command line (parsers.ts). */
  since?: string;
  until?: string;
  limit?: number;
}

/** `wshub audit`: what changed, when and why, by run, account, tenant, instance, CVE or rule, within --since/--until. */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const events = await ctx.audit.query(auditQuery(options));
  if (options.output === "json") process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
  else if (options.output === "csv") process.stdout.write(auditCsv(events));
  else process.stdout.write(`${auditTable(events)}\n${events.length} event(s)\n`);
  return EXIT.OK;
}

export function auditQuery(options: AuditCommandOptions): AuditQuery {
  const fields: AuditQuery = {
    runId: options.run,
    accountId: options.account,
    tenant: options.tenant,
    instanceId: options.instance,
    cve: options.cve,
    ruleIdentifier: options.rule,
    since: options.since,
    until: options.until,
    limit: options.limit,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
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
