import {
  ERROR_CODES,
  parseRuleParameters,
  summarizeError,
  type AccountSections,
  type AccountWafResult,
  type ComplianceRow,
  type OrgAccount,
  type RunError,
  type TenantSnapshot,
} from "@wshub/core";
import { evaluateOrganizationCompliance } from "./compliance-org.js";
import type { HubContext } from "./context.js";
import type { TenantEvaluation } from "./evaluate.js";
import { checkAccountWaf, wafTenantView } from "./waf-account.js";
import { applyStoredWaf } from "./waf-apply-stored.js";
import { readInventories } from "./waf-check.js";
import type { AccountWafInventory } from "./waf-inventory.js";

/** The account report sections a run produces, and what went wrong producing them (recorded, never thrown). */
export interface RunSections {
  byAccount: Map<string, AccountSections>;
  errors: RunError[];
}

/** The WAF check runs in the weekly run unless `waf.mode` is `off`. */
export function wafInRun(ctx: HubContext): boolean {
  return ctx.config.waf.mode !== "off";
}

/** The run produces report sections: the WAF check, and (behind `compliance.inRun`) the Config rules. */
export function sectionsInRun(ctx: HubContext): boolean {
  return wafInRun(ctx) || ctx.config.compliance.inRun;
}

/**
 * In recommend mode the WAF inventory needs no tenant, so it is read right after collection, and each account's rows
 * are computed right after its evaluation. Apply mode reads each account's inventory at that point instead, as close
 * to the change as the per-account check allows (`waf.maxInventoryAgeMinutes`).
 */
export async function prereadWaf(ctx: HubContext, accounts: OrgAccount[]): Promise<AccountWafInventory[] | undefined> {
  const waf = ctx.waf;
  if (!waf || ctx.config.waf.mode !== "recommend") return undefined;
  return readInventories({ ...ctx, waf }, accounts);
}

/**
 * Account reports wait for the sections only when the WAF check applies (an org-wide step after evaluation). In
 * recommend mode each account's WAF rows, and with `compliance.inRun` its Config results, are computed right after its
 * evaluation (run-account-sections.ts), so its report renders at once.
 */
export function reportsWaitForSections(ctx: HubContext): boolean {
  return wafInRun(ctx) && ctx.waf !== undefined && ctx.config.waf.mode === "apply";
}

/** One tenant's per-account WAF check in the CLI run: its view once the snapshot is loaded, then each account. */
export interface TenantWafCheck {
  onLoaded(snapshot: TenantSnapshot): void;
  check(account: OrgAccount): Promise<AccountWafResult>;
}

/** The per-account WAF check of a run's tenant (absent when the check is off or has no way into the accounts). */
export function tenantWafCheck(
  ctx: HubContext,
  input: { runId: string; tenant: string | null; inventories?: AccountWafInventory[] },
): TenantWafCheck | undefined {
  const waf = ctx.waf;
  if (!waf || !wafInRun(ctx)) return undefined;
  const inventories = new Map((input.inventories ?? []).map((inv) => [inv.accountId, inv]));
  let view = wafTenantView(input.tenant, undefined);
  return {
    onLoaded: (snapshot) => void (view = wafTenantView(input.tenant, snapshot)),
    check: (account) => {
      const inventory = inventories.get(account.id);
      return checkAccountWaf(
        { ...ctx, waf },
        { runId: input.runId, account, view, ...(inventory ? { inventory } : {}) },
      );
    },
  };
}

/** After evaluation, `waf.mode: apply`: the org-wide apply over the stored rows; its failures join the run's errors. */
export async function applyWafInRun(ctx: HubContext, run: { runId: string; actor: string }): Promise<RunError[]> {
  const waf = ctx.waf;
  if (!waf || ctx.config.waf.mode !== "apply") return [];
  try {
    const outcome = await applyStoredWaf({ ...ctx, waf }, run);
    return [
      ...outcome.errors,
      ...(outcome.stopped ? [{ scope: "waf" as const, subject: "apply", ...outcome.stopped }] : []),
    ];
  } catch (error) {
    return [{ scope: "waf", subject: "apply", ...summarizeError(error) }];
  }
}

/**
 * The Config rules for the organization at once (`compliance.inRun`), each account's rows stored with the run
 * (`COMPLIANCE#<account>`, read back by `wshub report --run`); the CLI run does it per account instead
 * (run-account-sections.ts). An error is recorded and the run goes on.
 */
export async function runSections(
  ctx: HubContext,
  run: { runId: string; actor: string },
  input: { accounts: OrgAccount[]; evaluations: TenantEvaluation[] },
): Promise<RunSections> {
  const sections: RunSections = { byAccount: new Map(), errors: [] };
  if (!ctx.config.compliance.inRun) return sections;
  try {
    const rules = ctx.config.compliance.rules.map((json) => parseRuleParameters(json));
    const result = await evaluateOrganizationCompliance(ctx, rules);
    for (const account of input.accounts) {
      const rows = result.rows.filter((r) => r.accountId === account.id);
      sections.byAccount.set(account.id, { compliance: rows });
      await ctx.runs.putComplianceRows(run.runId, account.id, rows);
    }
    // An account in no tenant is no error; a region that could not be read is.
    for (const s of result.skipped.filter((skip) => skip.region))
      sections.errors.push({
        scope: "configuration",
        subject: `${s.accountId}/${s.region ?? ""}`,
        code: ERROR_CODES.CONFIG_EVALUATIONS_FAILED,
        message: s.reason,
      });
  } catch (error) {
    sections.errors.push({ scope: "configuration", subject: "compliance", ...summarizeError(error) });
  }
  return sections;
}

/** The sections a report of the run shows, as stored with it (`wshub report --run`, the deployed ReportAccount). */
export async function storedSections(
  ctx: Pick<HubContext, "runs">,
  runId: string,
  accountId: string,
): Promise<AccountSections> {
  const [waf, compliance] = await Promise.all([
    ctx.runs.getWafResult(runId, accountId),
    ctx.runs.getComplianceRows(runId, accountId),
  ]);
  return sectionsOf(waf, compliance);
}

/** An account with no ALB or distribution gets no WAF sheet, only its zero counts in the roll-up. */
export function sectionsOf(waf: AccountWafResult | undefined, compliance?: ComplianceRow[]): AccountSections {
  return {
    ...(waf && waf.rows.length > 0 ? { waf: waf.rows } : {}),
    ...(compliance ? { compliance } : {}),
  };
}
