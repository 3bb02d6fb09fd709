import { applyWafInRun, assignFromStore, assignmentEnabled, whileRunHeld } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

export interface AssignEvent {
  runId: string;
}

export interface AssignResult {
  runId: string;
  changes: number;
  calls: number;
  events: number;
  stopped?: string;
  /** WAF apply failures (or why it stopped), also recorded with the run. */
  wafErrors: number;
}

/**
 * Plan and apply the run's IPS assignments across tenants in one invocation, so the per-run guard rail sees every
 * target before anything changes (a run changes at most a few dozen targets: well within one invocation). With
 * `waf.mode: apply`, then the WAF apply over the rows EvaluateAccounts stored, for the same reason.
 */
export async function handler(event: AssignEvent): Promise<AssignResult> {
  const ctx = await hubContext();
  const run = await ctx.runs.getRun(event.runId);
  if (!run) throw new Error(`run ${event.runId} does not exist`);
  const outcome = assignmentEnabled(ctx)
    ? await whileRunHeld(ctx, run.runId, () => assignFromStore(ctx, run))
    : undefined;
  const wafErrors = await whileRunHeld(ctx, run.runId, () => applyWafInRun(ctx, run));
  // Kept with the run (re-read: its heartbeat moved meanwhile), so FinishRun counts them.
  const latest = wafErrors.length > 0 ? await ctx.runs.getRun(run.runId) : undefined;
  if (latest) await ctx.runs.updateRun({ ...latest, errors: [...latest.errors, ...wafErrors] });
  const changes = outcome?.plans.reduce((sum, plan) => sum + plan.changes.length, 0) ?? 0;
  logger.info("assignment done", {
    runId: event.runId,
    changes,
    calls: outcome?.calls ?? 0,
    stopped: outcome?.stopped?.message,
    wafErrors: wafErrors.length,
  });
  return {
    runId: event.runId,
    changes,
    calls: outcome?.calls ?? 0,
    events: outcome?.events.length ?? 0,
    ...(outcome?.stopped ? { stopped: outcome.stopped.message } : {}),
    wafErrors: wafErrors.length,
  };
}
