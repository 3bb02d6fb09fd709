import { prepareTenant, whileRunHeld, type PreparedTenant } from "@wshub/hub";
import { hubContext } from "../runtime.js";

export interface PrepareTenantEvent {
  runId: string;
  /** "" (the accounts that map to no tenant) has nothing to prepare. */
  tenant: string;
}

/** Read one tenant's catalog and fleet once (keyset paging) and store them with the run for the account batches. */
export async function handler(event: PrepareTenantEvent): Promise<PreparedTenant> {
  if (event.tenant === "") return { tenant: "", rules: 0, computers: 0, workloadSecurityCalls: 0 };
  const ctx = await hubContext();
  return whileRunHeld(ctx, event.runId, () => prepareTenant(ctx, event.runId, event.tenant));
}
