import {
  configurationWarnings,
  summarizeError,
  type OrganizationListing,
  type RunRecord,
  type RunTrigger,
} from "@wshub/core";
import { skippedAccountRecord } from "./collect.js";
import type { HubContext } from "./context.js";
import { planAccounts, type PlannedAccount } from "./plan-accounts.js";
import { finishRun, startRun } from "./run-lifecycle.js";

export interface PreparedRun {
  run: RunRecord;
  planned: PlannedAccount[];
  /** Accounts to collect and evaluate this run. */
  assessable: PlannedAccount[];
  /** Tenants (null: accounts mapped to none) with the assessable accounts of each. */
  tenants: Map<string | null, PlannedAccount[]>;
}

/**
 * Start a run: record it, list the organization once, decide which accounts are assessed and which tenant each maps
 * to, and keep the listing with the run so later steps (other Lambda invocations) use the same view.
 * If the organization cannot be listed the run is closed as failed and `undefined` is returned.
 */
export async function prepareRun(
  ctx: HubContext,
  trigger: RunTrigger,
  runId?: string,
): Promise<PreparedRun | { run: RunRecord; failed: true }> {
  const run = await startRun(ctx, trigger, runId);
  let listing: OrganizationListing;
  try {
    listing = await ctx.organization.listOrganization();
    await ctx.runs.putOrganization(run.runId, listing);
  } catch (error) {
    const failed = await finishRun(ctx, run.runId, [
      { scope: "organization", subject: "organization", ...summarizeError(error) },
    ]);
    return { run: failed, failed: true };
  }
  const planned = planAccounts(listing, ctx.config);
  for (const p of planned)
    ctx.logger.debug("account planned", {
      accountId: p.account.id,
      assessed: p.skip === undefined,
      ...(p.skip ? { skip: p.skip } : {}),
      tenant: p.tenant.tenant ?? "none",
      tenantSource: p.tenant.source,
      tenantReason: p.tenant.reason,
    });
  // Logged now; finishRun records them with the run (from the listing kept with it).
  for (const warning of configurationWarnings(ctx.config, listing))
    ctx.logger.warn(warning.message, { runId: run.runId, code: warning.code });
  const assessable = planned.filter((p) => p.skip === undefined);
  await Promise.all(
    planned.filter((p) => p.skip !== undefined).map((p) => ctx.runs.putAccountRun(skippedAccountRecord(run.runId, p))),
  );
  ctx.progress.accountsPlanned(assessable.length);
  return { run, planned, assessable, tenants: groupByTenant(assessable) };
}

/** The run's planned accounts again, from the stored listing (for steps that run in another process). */
export async function plannedAccountsOf(ctx: HubContext, runId: string): Promise<PlannedAccount[]> {
  const listing = await ctx.runs.getOrganization(runId);
  return listing ? planAccounts(listing, ctx.config) : [];
}

export function groupByTenant(accounts: PlannedAccount[]): Map<string | null, PlannedAccount[]> {
  const groups = new Map<string | null, PlannedAccount[]>();
  for (const planned of accounts) {
    const list = groups.get(planned.tenant.tenant);
    if (list) list.push(planned);
    else groups.set(planned.tenant.tenant, [planned]);
  }
  return groups;
}
