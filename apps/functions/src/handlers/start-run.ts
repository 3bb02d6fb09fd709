import type { RunTrigger } from "@wshub/core";
import { assignmentEnabled, prepareRun } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

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
  assign: boolean;
}

/** Step 1 of the state machine: record the run, list the organization once, plan accounts and tenants. */
export async function handler(event: StartRunEvent = {}): Promise<StartRunResult> {
  const ctx = await hubContext();
  const prepared = await prepareRun(ctx, event.trigger ?? "schedule");
  if ("failed" in prepared) {
    logger.error("run failed before collection", { runId: prepared.run.runId, errors: prepared.run.errors });
    return { runId: prepared.run.runId, ok: false, accountIds: [], tenants: [], assign: false };
  }
  logger.info("run prepared", { runId: prepared.run.runId, accounts: prepared.assessable.length });
  return {
    runId: prepared.run.runId,
    ok: true,
    accountIds: prepared.assessable.map((p) => p.account.id),
    tenants: [...prepared.tenants.keys()].map((t) => t ?? ""),
    assign: assignmentEnabled(ctx),
  };
}
