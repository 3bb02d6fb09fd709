import { isWshubError, newRunId, type RunTrigger } from "@wshub/core";
import {
  assignmentEnabled,
  claimRun,
  evaluationBatches,
  prepareRun,
  releaseRun,
  type EvaluationBatch,
} from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

/** Accounts an EvaluateAccounts invocation evaluates: its time and memory are those of this many accounts. */
export const ACCOUNTS_PER_EVALUATION = 20;

export interface StartRunEvent {
  trigger?: RunTrigger;
}

export interface StartRunResult {
  runId: string;
  /** False when the organization could not be listed (the run is already closed as failed). */
  ok: boolean;
  accountIds: string[];
  /** Tenant names; "" stands for the accounts that map to no tenant. */
  tenants: string[];
  /** The EvaluateAccounts map's items: each tenant's accounts in batches of ACCOUNTS_PER_EVALUATION. */
  evaluationBatches: EvaluationBatch[];
  assign: boolean;
  /** Set when another run holds the run lease: this execution does nothing. */
  refused?: string;
}

/**
 * Step 1 of the state machine: take the run lease (one run at a time: a second execution is refused and ends), record
 * the run, list the organization once, plan accounts and tenants. Later steps renew the lease; the last releases it.
 */
export async function handler(event: StartRunEvent = {}): Promise<StartRunResult> {
  const ctx = await hubContext();
  const runId = newRunId(ctx.clock.now());
  const actor = (await ctx.identity()).arn;
  try {
    await claimRun(ctx, runId, actor);
  } catch (error) {
    if (!isWshubError(error) || error.code !== "LEASE_HELD") throw error;
    logger.warn("run refused: another run is in progress", { reason: error.message });
    return {
      runId,
      ok: false,
      accountIds: [],
      tenants: [],
      evaluationBatches: [],
      assign: false,
      refused: error.message,
    };
  }
  const prepared = await prepareRun(ctx, event.trigger ?? "schedule", runId);
  if ("failed" in prepared) {
    logger.error("run failed before collection", { runId: prepared.run.runId, errors: prepared.run.errors });
    await releaseRun(ctx, runId);
    return { runId: prepared.run.runId, ok: false, accountIds: [], tenants: [], evaluationBatches: [], assign: false };
  }
  logger.info("run prepared", { runId: prepared.run.runId, accounts: prepared.assessable.length });
  return {
    runId: prepared.run.runId,
    ok: true,
    accountIds: prepared.assessable.map((p) => p.account.id),
    tenants: [...prepared.tenants.keys()].map((t) => t ?? ""),
    evaluationBatches: evaluationBatches(prepared.tenants, ACCOUNTS_PER_EVALUATION),
    // The Assign step also holds the WAF apply (one invocation: its guard rail sees every WebACL).
    assign: assignmentEnabled(ctx) || ctx.config.waf.mode === "apply",
  };
}
