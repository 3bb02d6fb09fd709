import { assignFromStore, whileRunHeld } from "@wshub/hub";
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
}

/**
 * Plan and apply the run's IPS assignments across tenants in one invocation, so the per-run guard rail sees every
 * target before anything changes (a run changes at most a few dozen targets: well within one invocation).
 */
export async function handler(event: AssignEvent): Promise<AssignResult> {
  const ctx = await hubContext();
  const run = await ctx.runs.getRun(event.runId);
  if (!run) throw new Error(`run ${event.runId} does not exist`);
  const outcome = await whileRunHeld(ctx, run.runId, () => assignFromStore(ctx, run));
  const changes = outcome.plans.reduce((sum, plan) => sum + plan.changes.length, 0);
  logger.info("assignment done", {
    runId: event.runId,
    changes,
    calls: outcome.calls,
    stopped: outcome.stopped?.message,
  });
  return {
    runId: event.runId,
    changes,
    calls: outcome.calls,
    events: outcome.events.length,
    ...(outcome.stopped ? { stopped: outcome.stopped.message } : {}),
  };
}
