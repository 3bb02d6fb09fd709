import type { AuditQuery } from "@wshub/core";
import { assignmentCsvText } from "@wshub/reports";
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
  finding?: string;
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
  // The same columns as the assignment report's CSV.
  else if (options.output === "csv") process.stdout.write(assignmentCsvText(events));
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
    findingId: options.finding,
    since: options.since,
    until: options.until,
    limit: options.limit,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
