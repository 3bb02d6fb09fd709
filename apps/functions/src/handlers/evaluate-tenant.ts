import type { AccountCoverage } from "@wshub/core";
import { evaluateTenant, plannedAccountsOf, whileRunHeld } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

export interface EvaluateTenantEvent {
  runId: string;
  /** "" for the accounts that map to no tenant. */
  tenant: string;
}

export interface EvaluateTenantResult {
  tenant: string;
  accounts: number;
  /** Rows evaluated by this invocation (an unchanged account's linked coverage counts none). */
  rows: number;
  workloadSecurityCalls: number;
  error?: string;
}

/** Evaluate one tenant: its catalog and fleet fetched once, every account of it evaluated and stored. */
export async function handler(event: EvaluateTenantEvent): Promise<EvaluateTenantResult> {
  const ctx = await hubContext();
  const tenant = event.tenant === "" ? null : event.tenant;
  const accounts = (await plannedAccountsOf(ctx, event.runId)).filter(
    (p) => p.skip === undefined && p.tenant.tenant === tenant,
  );
  // Each account's rows are stored as it is evaluated and dropped: memory holds one tenant's index and a few
  // accounts' rows, not the tenant's every row (hundreds of accounts at L). Rows counted as they go.
  let rows = 0;
  const onAccount = (_accountId: string, coverage: AccountCoverage | undefined) => {
    rows += coverage?.rows.length ?? 0;
    return Promise.resolve();
  };
  const evaluation = await whileRunHeld(ctx, event.runId, () =>
    evaluateTenant(
      ctx,
      event.runId,
      tenant,
      accounts.map((p) => p.account),
      { includePolicies: false, keepRows: false, onAccount },
    ),
  );
  logger.info("tenant evaluated", {
    runId: event.runId,
    tenant: event.tenant,
    accounts: evaluation.coverage.length,
    rows,
    calls: evaluation.apiCalls,
  });
  return {
    tenant: event.tenant,
    accounts: evaluation.coverage.length,
    rows,
    workloadSecurityCalls: evaluation.apiCalls,
    ...(evaluation.error ? { error: `${evaluation.error.code}: ${evaluation.error.message}` } : {}),
  };
}
