import { evaluateAccountBatch, whileRunHeld, type AccountBatchOutcome, type EvaluationBatch } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

export interface EvaluateAccountsEvent {
  runId: string;
  batch: EvaluationBatch;
}

/**
 * Evaluate one batch of a tenant's accounts from the snapshot PrepareTenant stored: the invocation holds one tenant
 * index and a few accounts' rows, whatever the tenant's share of the organization.
 */
export async function handler(event: EvaluateAccountsEvent): Promise<AccountBatchOutcome> {
  const ctx = await hubContext();
  const outcome = await whileRunHeld(ctx, event.runId, () =>
    evaluateAccountBatch(ctx, { runId: event.runId, ...event.batch }),
  );
  logger.info("account batch evaluated", { runId: event.runId, ...outcome });
  return outcome;
}
