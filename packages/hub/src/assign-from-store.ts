import { appendAll, buildTenantIndex, type AssignmentMode, type CoverageRow, type OrgAccount } from "@wshub/core";
import type { AssignmentOutcome, TenantAssignmentInput } from "./assign.js";
import { assignRun } from "./assign.js";
import type { RecorderRun } from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { withTenantLeases } from "./run-leases.js";
import { plannedAccountsOf } from "./prepare-run.js";
import { reconcileIntents, type ReconcileOutcome } from "./reconcile.js";
import { loadTenantSnapshot, openTenant } from "./tenants.js";

export interface StoredAssignmentOutcome extends AssignmentOutcome {
  /** Intents an earlier, interrupted writer left behind, settled first. */
  reconciled: ReconcileOutcome;
}

/**
 * Inputs for `wshub assign` on a run's stored coverage: each tenant's live state is loaded again, and planning checks
 * the stored `rule-available` rows against it, so a change made since (or by a previous apply) is recorded as
 * already effective and nothing is sent for it.
 */
export async function loadAssignmentInputs(
  ctx: HubContext,
  runId: string,
  byTenant: Map<string, OrgAccount[]>,
): Promise<TenantAssignmentInput[]> {
  const inputs: TenantAssignmentInput[] = [];
  for (const [tenant, accounts] of byTenant) {
    const api = await openTenant(ctx, tenant);
    const snapshot = await loadTenantSnapshot(ctx, api, { includePolicies: true });
    const rows: CoverageRow[] = [];
    for (const account of accounts) {
      const coverage = await ctx.runs.getCoverage(runId, account.id);
      if (coverage) appendAll(rows, coverage.rows);
    }
    const index = buildTenantIndex(snapshot);
    inputs.push({ tenant, api, index, policies: snapshot.policies ?? [], rows, accounts });
  }
  return inputs;
}

/**
 * `wshub assign` and the assign step of the state machine: with the leases of the run's tenants held, settle what an
 * interrupted writer left behind, load each tenant's live state and the stored coverage, then plan (and apply where
 * the mode says so).
 */
export async function assignFromStore(
  ctx: HubContext,
  run: RecorderRun,
  options: { defaultMode?: AssignmentMode; waitMs?: number } = {},
): Promise<StoredAssignmentOutcome> {
  const byTenant = await runTenants(ctx, run.runId);
  const tenants = [...byTenant.keys()];
  return withTenantLeases(ctx, run, tenants, options.waitMs, async (guard) => {
    const reconciled = await reconcileIntents(ctx, run, tenants);
    const inputs = await loadAssignmentInputs(ctx, run.runId, byTenant);
    const outcome = await assignRun(ctx, run, inputs, { ...options, guard });
    return { ...outcome, reconciled };
  });
}

/** The configured tenants of a run's assessed accounts, with their accounts. */
async function runTenants(ctx: HubContext, runId: string): Promise<Map<string, OrgAccount[]>> {
  const byTenant = new Map<string, OrgAccount[]>();
  for (const planned of await plannedAccountsOf(ctx, runId)) {
    const tenant = planned.tenant.tenant;
    if (planned.skip !== undefined || tenant === null) continue;
    if (!ctx.config.tenants.some((t) => t.name === tenant)) continue;
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), planned.account]);
  }
  return byTenant;
}
