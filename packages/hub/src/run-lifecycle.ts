import {
  configurationWarnings,
  countCoverage,
  emptyCoverageCounts,
  ERROR_CODES,
  mergeCounts,
  newRunId,
  summarizeError,
  WshubError,
  type RunError,
  type RunRecord,
  type RunTrigger,
} from "@wshub/core";
import type { HubContext } from "./context.js";

export async function startRun(ctx: HubContext, trigger: RunTrigger, runId?: string): Promise<RunRecord> {
  const now = ctx.clock.now();
  const actor = await ctx.identity().then(
    (identity) => identity.arn,
    (error) => `unknown (${summarizeError(error).message})`,
  );
  const run: RunRecord = {
    runId: runId ?? newRunId(now),
    startedAt: now.toISOString(),
    status: "running",
    heartbeatExpiresAt: new Date(now.getTime() + ctx.config.hub.leaseSeconds * 1000).toISOString(),
    trigger,
    actor,
    collectionMode: ctx.inspector.mode,
    regions: ctx.config.hub.regions,
    accountsTotal: 0,
    accountsAssessed: 0,
    accountsFailed: 0,
    accountsSkipped: 0,
    findingsRead: 0,
    findingsWritten: 0,
    coverageRows: 0,
    errors: [],
  };
  await ctx.runs.createRun(run);
  return run;
}

/**
 * Close a run from what its account records say: counts, errors, status. `partial` when some account or tenant
 * failed; `failed` when nothing could be assessed or a run-level error happened.
 */
export async function finishRun(ctx: HubContext, runId: string, extraErrors: RunError[] = []): Promise<RunRecord> {
  const run = await ctx.runs.getRun(runId);
  if (!run) throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} does not exist`, { runId });
  const accounts = await ctx.runs.listAccountRuns(runId);
  const counts = emptyCoverageCounts();
  for (const account of accounts) if (account.counts) mergeCounts(counts, account.counts);
  const accountErrors: RunError[] = accounts
    .filter((a) => a.error)
    .map((a) => ({ scope: "account", subject: a.accountId, code: a.error!.code, message: a.error!.message }));
  const emailErrors: RunError[] = accounts
    .filter((a) => a.email?.status === "failed")
    .map((a) => ({ scope: "email", subject: a.accountId, code: "EMAIL_FAILED", message: a.email?.reason ?? "" }));
  const errors = [...run.errors, ...extraErrors, ...accountErrors, ...emailErrors];
  const assessed = accounts.filter((a) => a.counts !== undefined).length;
  const failed = accounts.filter((a) => a.status === "unreachable" || a.status === "failed").length;
  const runLevel = errors.some((e) => e.scope === "run" || e.scope === "organization");
  // Warnings (configured accounts the organization lacks) come from the listing the run kept; they change no status.
  const listing = await ctx.runs.getOrganization(runId);
  const warnings = listing ? configurationWarnings(ctx.config, listing) : [];
  const finished: RunRecord = {
    ...run,
    finishedAt: ctx.clock.now().toISOString(),
    accountsTotal: accounts.length,
    accountsAssessed: assessed,
    accountsFailed: failed,
    accountsSkipped: accounts.filter((a) => a.status === "suspended" || a.status === "excluded").length,
    findingsRead: accounts.reduce((sum, a) => sum + a.findingsRead, 0),
    findingsWritten: accounts.reduce((sum, a) => sum + a.findingsWritten, 0),
    coverageRows: counts.rows,
    counts: counts.rows > 0 ? counts : countCoverage([]),
    errors,
    ...(warnings.length > 0 ? { warnings } : {}),
    // A run ended meanwhile (taken over as abandoned) keeps that state: it did not finish as one run.
    status:
      run.status !== "running"
        ? run.status
        : runLevel || (assessed === 0 && failed > 0)
          ? "failed"
          : errors.length > 0
            ? "partial"
            : "succeeded",
  };
  await ctx.runs.updateRun(finished);
  return finished;
}
