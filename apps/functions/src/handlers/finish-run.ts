import { reportableAuditEvents, type RunError } from "@wshub/core";
import { exportRun, finishRun, plannedAccountsOf, releaseRun, reportOrganization, storedWafErrors } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

export interface FinishRunEvent {
  runId: string;
  /** Step failures the state machine caught (one account or tenant), recorded with the run. */
  failures?: { scope: RunError["scope"]; subject: string; error: string; cause?: string }[];
}

export interface FinishRunResult {
  runId: string;
  status: string;
  accounts: number;
  assessed: number;
  failed: number;
  rows: number;
  coveragePercent: number | null;
  errors: number;
}

/**
 * Hand the run to Security Hub and the archive, close it (counts, errors, status), mail the organization roll-up to the
 * central team, release the run lease.
 */
export async function handler(event: FinishRunEvent): Promise<FinishRunResult> {
  const ctx = await hubContext();
  const extra: RunError[] = (event.failures ?? []).map((f) => ({
    scope: f.scope,
    subject: f.subject,
    code: "INTERNAL",
    message: `${f.error}: ${f.cause ?? ""}`.slice(0, 500),
  }));
  // A collect step that crashed (rather than recording an unreachable account) leaves its accounts without a record.
  const recorded = new Set((await ctx.runs.listAccountRuns(event.runId)).map((r) => r.accountId));
  for (const planned of await plannedAccountsOf(ctx, event.runId)) {
    if (planned.skip === undefined && !recorded.has(planned.account.id))
      extra.push({
        scope: "account",
        subject: planned.account.id,
        code: "INTERNAL",
        message: "the account's collection step failed; see the state machine execution",
      });
  }
  // Security Hub and the archive (when configured) read the stored coverage; their failures join the run's errors.
  const exports = await exportRun(ctx, event.runId);
  // Each account's WAF check (EvaluateAccounts) stored its errors with its rows; its counts are on its record.
  const waf = await storedWafErrors(ctx, event.runId);
  const run = await finishRun(ctx, event.runId, [...extra, ...waf, ...exports.errors]);
  const assignmentEvents = reportableAuditEvents(await ctx.audit.query({ runId: event.runId }));
  await reportOrganization(ctx, event.runId, assignmentEvents).finally(() => releaseRun(ctx, event.runId));
  logger.info("run finished", { runId: run.runId, status: run.status, errors: run.errors.length });
  if (run.status === "failed") logger.error("run failed", { runId: run.runId, errors: run.errors });
  return {
    runId: run.runId,
    status: run.status,
    accounts: run.accountsTotal,
    assessed: run.accountsAssessed,
    failed: run.accountsFailed,
    rows: run.coverageRows,
    coveragePercent: run.counts?.coveragePercent ?? null,
    errors: run.errors.length,
  };
}
