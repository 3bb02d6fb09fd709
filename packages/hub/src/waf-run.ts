import {
  ERROR_CODES,
  mapWithConcurrency,
  newRunId,
  summarizeError,
  WshubError,
  type OrgAccount,
  type RunError,
  type TenantSnapshot,
  type WafAccess,
  type WafMode,
  type WebAclTarget,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import { planAccounts } from "./plan-accounts.js";
import { loadTenantSnapshot, openTenant } from "./tenants.js";
import { checkWaf, type WafCheckOutcome, type WafTenantState } from "./waf-check.js";
import type { AccountWafInventory } from "./waf-inventory.js";

/** Tenants read at once for the WAF check (each pages its catalog and fleet). */
const WAF_TENANT_CONCURRENCY = 2;

/** A tenant as the run (or `wshub waf`) holds it: its API and its snapshot, when it could be read. */
export interface WafTenantSource {
  tenant: string;
  api?: WorkloadSecurityTenantApi;
  snapshot?: TenantSnapshot;
}

export interface WafRunOutcome extends WafCheckOutcome {
  runId: string;
}

/**
 * The tenants' states for the WAF check: the snapshots already held, and each tenant's application types (one paged
 * `/applicationtypes/search`, the only tenant read the check adds). A tenant that cannot be read is an error, and its
 * instances count as unprotected: so a run that lost a tenant recommends only, never applies.
 */
export async function wafTenantStates(
  sources: WafTenantSource[],
): Promise<{ tenants: WafTenantState[]; errors: RunError[] }> {
  const errors: RunError[] = [];
  const tenants = await mapWithConcurrency(sources, WAF_TENANT_CONCURRENCY, async (source) => {
    try {
      if (!source.api || !source.snapshot) throw new Error("the tenant's snapshot could not be read this run");
      const applicationTypes = (await source.api.loadApplicationTypes?.()) ?? [];
      return [{ snapshot: source.snapshot, applicationTypes }];
    } catch (error) {
      errors.push({ scope: "waf", subject: `tenant ${source.tenant}`, ...summarizeError(error) });
      return [];
    }
  });
  return { tenants: tenants.flat(), errors };
}

/** The check, reading the tenants only when some ALB or distribution has instances behind it. */
export function checkWafWith(
  ctx: HubContext & { waf: WafAccess },
  input: {
    runId: string;
    actor: string;
    accounts: OrgAccount[];
    sources: () => Promise<WafTenantSource[]>;
    mode?: WafMode;
    onPlan?: (targets: WebAclTarget[]) => void;
    inventories?: AccountWafInventory[];
  },
): Promise<WafCheckOutcome> {
  return checkWaf(
    ctx,
    { runId: input.runId, actor: input.actor },
    {
      accounts: input.accounts,
      tenants: async () => wafTenantStates(await input.sources()),
      ...(input.mode ? { mode: input.mode } : {}),
      ...(input.onPlan ? { onPlan: input.onPlan } : {}),
      ...(input.inventories ? { inventories: input.inventories } : {}),
    },
  );
}

/** `wshub waf`: the organization's assessed accounts, each mapped tenant read once, then the check (and apply). */
export async function runWafCheck(
  ctx: HubContext,
  input: { actor: string; mode?: WafMode; onPlan?: (targets: WebAclTarget[]) => void },
): Promise<WafRunOutcome> {
  const waf = ctx.waf;
  if (!waf || ctx.config.waf.mode === "off")
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      "the WAF check is off: set waf.mode to recommend or apply (organization mode also needs collection.memberRole)",
      { mode: ctx.config.waf.mode },
    );
  const planned = planAccounts(await ctx.organization.listOrganization(), ctx.config).filter((p) => !p.skip);
  const names = [...new Set(planned.flatMap((p) => (p.tenant.tenant === null ? [] : [p.tenant.tenant])))];
  const sources = () => mapWithConcurrency(names, WAF_TENANT_CONCURRENCY, (tenant) => readTenant(ctx, tenant));
  const runId = newRunId(ctx.clock.now());
  const outcome = await checkWafWith(
    { ...ctx, waf },
    { ...input, runId, accounts: planned.map((p) => p.account), sources },
  );
  return { ...outcome, runId };
}

async function readTenant(ctx: HubContext, tenant: string): Promise<WafTenantSource> {
  try {
    const api = await openTenant(ctx, tenant);
    return { tenant, api, snapshot: await loadTenantSnapshot(ctx, api, { includePolicies: true }) };
  } catch (error) {
    ctx.logger.warn("WAF check: tenant not read", { tenant, reason: summarizeError(error).message });
    return { tenant };
  }
}
