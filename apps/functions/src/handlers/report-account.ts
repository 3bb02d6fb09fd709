import { reportableAuditEvents } from "@wshub/core";
import { plannedAccountsOf, reportAccount, whileRunHeld } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

export interface ReportAccountEvent {
  runId: string;
  accountId: string;
}

export interface ReportAccountResult {
  accountId: string;
  email: string;
  recipients: number;
}

/**
 * Build and mail one account's report: its coverage, its assignment changes (if any), and its WAF sheet and waf.csv
 * from the rows EvaluateAccounts stored with the run (reportAccount reads them).
 */
export async function handler(event: ReportAccountEvent): Promise<ReportAccountResult> {
  const ctx = await hubContext();
  const planned = (await plannedAccountsOf(ctx, event.runId)).find((p) => p.account.id === event.accountId);
  if (!planned) throw new Error(`account ${event.accountId} is not part of run ${event.runId}`);
  const coverage = await ctx.runs.getCoverage(event.runId, event.accountId);
  if (!coverage) return { accountId: event.accountId, email: "skipped: not evaluated", recipients: 0 };
  const assignmentEvents = reportableAuditEvents(await ctx.audit.query({ runId: event.runId })).filter(
    (e) => e.accountId === event.accountId,
  );
  const outcome = await whileRunHeld(ctx, event.runId, () =>
    reportAccount(ctx, event.runId, planned.account, { coverage, assignmentEvents }),
  );
  logger.info("account reported", { runId: event.runId, accountId: event.accountId, email: outcome.status });
  return { accountId: event.accountId, email: outcome.status, recipients: outcome.recipients.length };
}
