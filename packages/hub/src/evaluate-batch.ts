import {
  buildTenantIndex,
  ERROR_CODES,
  WshubError,
  type AccountCoverage,
  type ErrorSummary,
  type OrgAccount,
  type TenantIndex,
  type TenantSnapshot,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import { evaluateCollected, failTenantAccounts } from "./evaluate.js";
import type { PlannedAccount } from "./plan-accounts.js";
import { plannedAccountsOf } from "./prepare-run.js";
import { wafInRun } from "./run-sections.js";
import { loadTenantSnapshot, openTenant } from "./tenants.js";
import { checkAccountWaf, wafTenantView, withApplicationTypes, type WafTenantView } from "./waf-account.js";

/**
 * The deployed path evaluates a tenant in two steps so that no invocation grows with the tenant's share of the
 * organization: PrepareTenant reads the catalog and fleet once and stores them with the run; EvaluateAccounts then
 * evaluates one batch of the tenant's accounts from that snapshot. The CLI's `evaluateTenant` does both in one process.
 */
export interface PreparedTenant {
  tenant: string;
  rules: number;
  computers: number;
  workloadSecurityCalls: number;
  error?: ErrorSummary;
}

export async function prepareTenant(ctx: HubContext, runId: string, tenant: string): Promise<PreparedTenant> {
  try {
    const api = await openTenant(ctx, tenant);
    // The WAF check names each instance's policy and classes it from the tenant's application types.
    const snapshot = await loadTenantSnapshot(ctx, api, { includePolicies: wafInRun(ctx) });
    if (wafInRun(ctx)) await withApplicationTypes(ctx, api, snapshot);
    await ctx.runs.putTenantSnapshot(runId, snapshot);
    const prepared = { tenant, rules: snapshot.rules.length, computers: snapshot.computers.length };
    ctx.logger.info("tenant prepared", { ...prepared, calls: api.calls });
    return { ...prepared, workloadSecurityCalls: api.calls };
  } catch (error) {
    const accounts = await tenantAccounts(ctx, runId, tenant);
    const summary = await failTenantAccounts(ctx, { runId, tenant, accounts, error });
    return { tenant, rules: 0, computers: 0, workloadSecurityCalls: 0, error: summary };
  }
}

export interface AccountBatchOutcome {
  tenant: string;
  accounts: number;
  /** Rows evaluated (an unchanged account's linked coverage counts none). */
  rows: number;
  error?: ErrorSummary;
}

/** Evaluate one batch of a tenant's accounts ("" stands for the unmapped ones) from the run's stored snapshot. */
export async function evaluateAccountBatch(
  ctx: HubContext,
  batch: { runId: string; tenant: string; accountIds: string[] },
): Promise<AccountBatchOutcome> {
  const wanted = new Set(batch.accountIds);
  const accounts = (await tenantAccounts(ctx, batch.runId, batch.tenant)).filter((a) => wanted.has(a.id));
  const tenant = batch.tenant === "" ? null : batch.tenant;
  let index: TenantIndex | null = null;
  let snapshot: TenantSnapshot | undefined;
  if (tenant !== null) {
    snapshot = await ctx.runs.getTenantSnapshot(batch.runId, tenant);
    if (!snapshot) {
      const error = new WshubError(ERROR_CODES.TENANT_NOT_PREPARED, `tenant ${tenant} was not prepared in this run`, {
        tenant,
        runId: batch.runId,
      });
      const summary = await failTenantAccounts(ctx, { runId: batch.runId, tenant, accounts, error });
      return { tenant: batch.tenant, accounts: 0, rows: 0, error: summary };
    }
    index = buildTenantIndex(snapshot);
  }
  let rows = 0;
  const waf = accountWafCheck(ctx, batch.runId, wafTenantView(tenant, snapshot));
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const onAccount = async (accountId: string, _coverage: AccountCoverage | undefined, evaluated: number) => {
    rows += evaluated;
    const account = byId.get(accountId);
    if (waf && account) await waf(account);
  };
  const coverage = await evaluateCollected(
    ctx,
    { runId: batch.runId, tenant, accounts, index },
    { keepRows: false, handRows: false, onAccount },
  );
  return { tenant: batch.tenant, accounts: coverage.length, rows };
}

/** The per-account WAF check of a batch (recommend; an apply reads the stored rows later), or none when it is off. */
function accountWafCheck(ctx: HubContext, runId: string, view: WafTenantView) {
  const waf = ctx.waf;
  if (!waf || !wafInRun(ctx)) return undefined;
  return (account: OrgAccount) => checkAccountWaf({ ...ctx, waf }, { runId, account, view });
}

async function tenantAccounts(ctx: HubContext, runId: string, tenant: string): Promise<OrgAccount[]> {
  const name = tenant === "" ? null : tenant;
  return (await plannedAccountsOf(ctx, runId))
    .filter((p) => p.skip === undefined && p.tenant.tenant === name)
    .map((p) => p.account);
}

export interface EvaluationBatch {
  /** "" stands for the accounts that map to no tenant. */
  tenant: string;
  accountIds: string[];
}

/** StartRun's plan for the EvaluateAccounts map: each tenant's accounts cut into batches of `size`. */
export function evaluationBatches(tenants: Map<string | null, PlannedAccount[]>, size: number): EvaluationBatch[] {
  const batches: EvaluationBatch[] = [];
  for (const [tenant, accounts] of tenants) {
    for (let i = 0; i < accounts.length; i += size) {
      batches.push({ tenant: tenant ?? "", accountIds: accounts.slice(i, i + size).map((p) => p.account.id) });
    }
  }
  return batches;
}
