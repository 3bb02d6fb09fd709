import { ERROR_CODES, WshubError, type WorkloadSecurityTenantApi } from "@wshub/core";
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
