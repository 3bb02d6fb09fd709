import {
  ERROR_CODES,
  evaluateWafCoverage,
  protectedInstancesOf,
  summarizeError,
  wafCountsOf,
  type AccountWafResult,
  type OrgAccount,
  type ProtectedLookup,
  type RunError,
  type TenantSnapshot,
  type WafAccess,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import { readAccountWaf, type AccountWafInventory } from "./waf-inventory.js";

/**
 * An account's tenant as the WAF check sees it: its protected instances (from the snapshot the run holds and its
 * stored `/applicationtypes`), or why they are unknown. Built once per tenant, shared by its accounts.
 */
export interface WafTenantView {
  tenant: string | null;
  protectedInstances: ProtectedLookup;
  /** The tenant could not be read: its instances look unprotected, so no change is made from these rows. */
  missing?: string;
}

export function wafTenantView(tenant: string | null, snapshot: TenantSnapshot | undefined): WafTenantView {
  // An account in no tenant: none of its instances is protected (no error, nothing to read).
  if (tenant === null) return { tenant, protectedInstances: new Map() };
  if (!snapshot?.applicationTypes)
    return { tenant, protectedInstances: new Map(), missing: "the tenant's snapshot could not be read this run" };
  return { tenant, protectedInstances: protectedInstancesOf(snapshot, snapshot.applicationTypes) };
}

/**
 * One account's WAF check (recommend), right after its evaluation, in the CLI run and in EvaluateAccounts alike: its
 * inventory (read now unless given), its rows against its tenant, stored with the run (`WAF#<account>`) for its
 * report, `wshub report --run` and the apply step, and its counts on the account's record for the roll-up.
 */
export async function checkAccountWaf(
  ctx: HubContext & { waf: WafAccess },
  input: { runId: string; account: OrgAccount; view: WafTenantView; inventory?: AccountWafInventory },
): Promise<AccountWafResult> {
  const result = await readAccountResult(ctx, input).catch((error: unknown) => failedResult(ctx, input.account, error));
  await ctx.runs.putWafResult(input.runId, result);
  const record = await ctx.runs.getAccountRun(input.runId, input.account.id);
  if (record) await ctx.runs.putAccountRun({ ...record, waf: wafCountsOf(result.rows) });
  return result;
}

async function readAccountResult(
  ctx: HubContext & { waf: WafAccess },
  input: { account: OrgAccount; view: WafTenantView; inventory?: AccountWafInventory },
): Promise<AccountWafResult> {
  const inventory =
    input.inventory ??
    (await readAccountWaf(ctx.waf, {
      accountId: input.account.id,
      regions: ctx.config.hub.regions,
      now: () => ctx.clock.now(),
    }));
  return wafResultOf(inventory, input.view);
}

/** An account whose check failed as a whole: no rows, its error, and nothing an apply may use. */
function failedResult(ctx: HubContext, account: OrgAccount, error: unknown): AccountWafResult {
  const summary = summarizeError(error);
  ctx.logger.warn("WAF check of an account failed", { accountId: account.id, code: summary.code });
  return {
    accountId: account.id,
    rows: [],
    readAt: ctx.clock.now().toISOString(),
    partial: true,
    webAclsRead: [],
    recommendOnly: summary.message,
    errors: [{ scope: "waf", subject: account.id, ...summary }],
    calls: 0,
  };
}

/** The tenant's `/applicationtypes`, read once and stored with its snapshot; unreadable: the WAF check says so. */
export async function withApplicationTypes(
  ctx: HubContext,
  api: WorkloadSecurityTenantApi,
  snapshot: TenantSnapshot,
): Promise<void> {
  try {
    snapshot.applicationTypes = (await api.loadApplicationTypes?.()) ?? [];
  } catch (error) {
    ctx.logger.warn("application types not read", { tenant: snapshot.tenant, reason: summarizeError(error).message });
  }
}

/** The rows of one account's inventory (flagged first), with the facts an apply's guard rails check. */
export function wafResultOf(inventory: AccountWafInventory, view: WafTenantView): AccountWafResult {
  const rows = evaluateWafCoverage({ ...inventory, protectedInstances: view.protectedInstances }).sort(
    (a, b) => Number(b.flagged) - Number(a.flagged),
  );
  const behind = inventory.doors.some((door) => door.instanceIds.length > 0);
  const missing = behind ? view.missing : undefined;
  const errors: RunError[] = [...inventory.errors];
  if (missing)
    errors.push({
      scope: "waf",
      subject: `${inventory.accountId}/tenant ${view.tenant ?? ""}`,
      code: ERROR_CODES.TENANT_NOT_PREPARED,
      message: missing,
    });
  return {
    accountId: inventory.accountId,
    rows,
    readAt: inventory.readAt,
    partial: inventory.partial,
    webAclsRead: [...inventory.live.keys()],
    ...(missing ? { recommendOnly: missing } : {}),
    errors,
    calls: inventory.calls,
  };
}
