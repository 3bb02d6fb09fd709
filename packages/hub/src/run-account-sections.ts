import {
  ERROR_CODES,
  parseRuleParameters,
  summarizeError,
  type AccountSections,
  type ComplianceRow,
  type ErrorSummary,
  type OrgAccount,
  type RunError,
} from "@wshub/core";
import { accountCompliance } from "./compliance-org.js";
import { newFleetCache } from "./compliance.js";
import type { HubContext } from "./context.js";
import type { PlannedAccount } from "./plan-accounts.js";
import { sectionsOf, tenantWafCheck, type TenantWafCheck } from "./run-sections.js";
import type { AccountWafInventory } from "./waf-inventory.js";

/** What an account's report shows beyond its coverage, decided as the account is evaluated, and what went wrong. */
export interface RunAccountSections {
  errors: RunError[];
  forTenant(tenant: string | null): {
    /** The tenant's WAF check (absent when off): its view is set once the snapshot is loaded. */
    waf?: TenantWafCheck;
    sections(planned: PlannedAccount): Promise<AccountSections>;
  };
}

/**
 * The CLI run's per-account sections: the WAF rows (recommend) and, with `compliance.inRun`, the Config rules'
 * results, each stored with the run (`WAF#<account>`, `COMPLIANCE#<account>`), so the account's report renders at
 * once. An error is recorded for the account and the run goes on.
 */
export function runAccountSections(
  ctx: HubContext,
  input: { runId: string; inventories?: AccountWafInventory[] },
): RunAccountSections {
  const errors: RunError[] = [];
  const compliance = complianceCheck(ctx, input.runId);
  return {
    errors,
    forTenant(tenant) {
      const waf = tenantWafCheck(ctx, { ...input, tenant });
      return {
        ...(waf ? { waf } : {}),
        async sections(planned) {
          const result = waf ? await waf.check(planned.account) : undefined;
          const rules = compliance ? await compliance(planned) : undefined;
          errors.push(...(result?.errors ?? []), ...(rules?.errors ?? []));
          return { ...sectionsOf(result), ...(rules?.rows ? { compliance: rules.rows } : {}) };
        },
      };
    },
  };
}

/** One account's Config rules against its tenant's fleet (read once a run); a tenant that is down is not asked again. */
function complianceCheck(ctx: HubContext, runId: string) {
  if (!ctx.config.compliance.inRun) return undefined;
  const fleets = newFleetCache();
  const down = new Map<string, ErrorSummary>();
  const at = ctx.clock.now().toISOString();
  const failed = (account: OrgAccount, summary: ErrorSummary): RunError[] => [
    { scope: "configuration", subject: `${account.id}/compliance`, ...summary },
  ];
  return async ({ account, tenant }: PlannedAccount): Promise<{ rows?: ComplianceRow[]; errors: RunError[] }> => {
    const known = tenant.tenant === null ? undefined : down.get(tenant.tenant);
    if (known) return { errors: failed(account, known) };
    try {
      const rules = ctx.config.compliance.rules.map((json) => parseRuleParameters(json));
      const input = { account, tenant: tenant.tenant, reason: tenant.reason, rules, fleets, at };
      const result = await accountCompliance(ctx, input);
      await ctx.runs.putComplianceRows(runId, account.id, result.rows);
      // An account in no tenant is no error; a region that could not be read is.
      const skipped = result.skipped.flatMap((s): RunError[] =>
        s.region
          ? [
              {
                scope: "configuration",
                subject: `${s.accountId}/${s.region}`,
                code: ERROR_CODES.CONFIG_EVALUATIONS_FAILED,
                message: s.reason,
              },
            ]
          : [],
      );
      return { rows: result.rows, errors: skipped };
    } catch (error) {
      const summary = summarizeError(error);
      if (tenant.tenant !== null) down.set(tenant.tenant, summary);
      return { errors: failed(account, summary) };
    }
  };
}
