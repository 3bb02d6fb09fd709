import {
  ERROR_CODES,
  reusableCatalog,
  summarizeError,
  WshubError,
  type RuleCatalog,
  type TenantSnapshot,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import type { HubContext } from "./context.js";

/** A configured tenant's API, its key read from Secrets Manager; an unknown tenant is a configuration error. */
export async function openTenant(ctx: HubContext, tenant: string): Promise<WorkloadSecurityTenantApi> {
  const config = ctx.config.tenants.find((t) => t.name === tenant);
  if (!config) throw new WshubError(ERROR_CODES.CONFIG_INVALID, `tenant ${tenant} is not configured`, { tenant });
  return ctx.tenantApi(config, await ctx.secrets.readApiKey(config.apiKeySecret));
}

/** One API per tenant for a pass over many targets (the key is read once). */
export function tenantOpener(ctx: HubContext): (tenant: string) => Promise<WorkloadSecurityTenantApi> {
  const opened = new Map<string, Promise<WorkloadSecurityTenantApi>>();
  return (tenant) => {
    let api = opened.get(tenant);
    if (!api) {
      api = openTenant(ctx, tenant);
      opened.set(tenant, api);
    }
    return api;
  };
}

/**
 * The tenant's snapshot, its rules refreshed from the catalog kept since the last full read (core/rule-catalog.ts):
 * a re-run within a day reads only the rules modified since. The kept catalog is a cache: one that cannot be read
 * or written costs a full read, never the tenant.
 */
export async function loadTenantSnapshot(
  ctx: Pick<HubContext, "runs" | "clock" | "logger">,
  api: WorkloadSecurityTenantApi,
  options: { includePolicies: boolean },
): Promise<TenantSnapshot> {
  const kept = reusableCatalog(await keptCatalog(ctx, api.tenant), api.tenant, ctx.clock.now());
  const snapshot = await api.loadSnapshot({ ...options, ...(kept ? { catalog: kept } : {}) });
  const stamp = snapshot.catalog;
  const changed = !kept || stamp?.lastUpdated !== kept.stamp.lastUpdated || snapshot.rules.length !== kept.rules.length;
  if (stamp && changed)
    await ctx.runs
      .putRuleCatalog({ tenant: api.tenant, rules: snapshot.rules, stamp })
      .catch((error: unknown) => catalogWarning(ctx, api.tenant, "not kept", error));
  return snapshot;
}

async function keptCatalog(ctx: Pick<HubContext, "runs" | "logger">, tenant: string): Promise<RuleCatalog | undefined> {
  try {
    return await ctx.runs.getRuleCatalog(tenant);
  } catch (error) {
    catalogWarning(ctx, tenant, "not read", error);
    return undefined;
  }
}

function catalogWarning(ctx: Pick<HubContext, "logger">, tenant: string, what: string, error: unknown): void {
  const { code, message } = summarizeError(error);
  ctx.logger.warn(`rule catalog ${what}`, { tenant, code, reason: message });
}
