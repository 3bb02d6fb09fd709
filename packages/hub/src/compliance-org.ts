import {
  EC2_INSTANCE,
  evaluationOf,
  summarizeError,
  type ComplianceRow,
  type OrgAccount,
  type RuleParameters,
} from "@wshub/core";
import { loadFleet, newFleetCache, verdictFor, type FleetCache } from "./compliance.js";
import type { HubContext } from "./context.js";
import { planAccounts } from "./plan-accounts.js";

export type { ComplianceRow } from "@wshub/core";

export interface OrganizationCompliance {
  rows: ComplianceRow[];
  /** Accounts or regions left out, with the reason (no tenant, unreachable); the rest continues. */
  skipped: { accountId: string; region?: string; reason: string }[];
}

/**
 * Every assessed account and hub region, every instance, every rule: decided against each tenant's fleet, read once.
 * Nothing is put (on demand there is no Config result token); a Workload Security outage raises COMPLIANCE_UNAVAILABLE.
 */
export async function evaluateOrganizationCompliance(
  ctx: HubContext,
  rules: readonly RuleParameters[],
): Promise<OrganizationCompliance> {
  const result: OrganizationCompliance = { rows: [], skipped: [] };
  const fleets = newFleetCache();
  const at = ctx.clock.now().toISOString();
  const planned = planAccounts(await ctx.organization.listOrganization(), ctx.config).filter((p) => !p.skip);
  for (const { account, tenant } of planned) {
    const one = await accountCompliance(ctx, {
      account,
      tenant: tenant.tenant,
      reason: tenant.reason,
      rules,
      fleets,
      at,
    });
    result.rows.push(...one.rows);
    result.skipped.push(...one.skipped);
  }
  return result;
}

/**
 * One account's instances in every hub region, every rule, against its tenant's fleet (read once through `fleets`).
 * The weekly run calls it as each account is evaluated; a Workload Security outage raises COMPLIANCE_UNAVAILABLE.
 */
export async function accountCompliance(
  ctx: HubContext,
  input: {
    account: OrgAccount;
    tenant: string | null;
    reason: string;
    rules: readonly RuleParameters[];
    fleets: FleetCache;
    at: string;
  },
): Promise<OrganizationCompliance> {
  const { account, tenant } = input;
  const result: OrganizationCompliance = { rows: [], skipped: [] };
  if (tenant === null) return { rows: [], skipped: [{ accountId: account.id, reason: input.reason }] };
  for (const region of ctx.config.hub.regions) {
    try {
      const api = await (ctx.configAccess ?? missing()).forAccount(account.id, region);
      const instances = [];
      for await (const page of api.listInstances()) instances.push(...page);
      const fleet = await input.fleets.get(tenant, () => loadFleet(ctx, tenant, {}));
      for (const params of input.rules)
        for (const instance of instances) {
          const resource = { resourceType: EC2_INSTANCE, resourceId: instance.instanceId };
          const evaluation = evaluationOf(resource, verdictFor(params, fleet, instance.instanceId), input.at);
          result.rows.push({ ...evaluation, rule: ruleLabel(params), accountId: account.id, region, tenant });
        }
    } catch (error) {
      if (summarizeError(error).code === "COMPLIANCE_UNAVAILABLE") throw error;
      result.skipped.push({ accountId: account.id, region, reason: summarizeError(error).message });
    }
  }
  return result;
}

/** A rule's name in tables: ws-module-on names its module. */
export function ruleLabel(params: RuleParameters): string {
  return params.rule === "ws-module-on" ? `ws-module-on:${params.module}` : params.rule;
}

function missing(): never {
  throw new Error("compliance rules need collection.memberRole (config:PutEvaluations)");
}
