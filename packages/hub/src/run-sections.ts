import {
  ERROR_CODES,
  parseRuleParameters,
  summarizeError,
  wafCountsOf,
  type AccountSections,
  type OrgAccount,
  type RunError,
} from "@wshub/core";
import { evaluateOrganizationCompliance } from "./compliance-org.js";
import type { HubContext } from "./context.js";
import type { TenantEvaluation } from "./evaluate.js";
import { readInventories } from "./waf-check.js";
import type { AccountWafInventory } from "./waf-inventory.js";
import { checkWafWith, type WafTenantSource } from "./waf-run.js";

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
 * In recommend mode the WAF inventory needs no tenant, so it is read right after collection: an organization without
 * any ALB or distribution then keeps its account reports pipelined with evaluation (there is no WAF sheet to wait
 * for). Apply mode reads it after evaluation, just before any change (`waf.maxInventoryAgeMinutes`).
 */
export async function prereadWaf(ctx: HubContext, accounts: OrgAccount[]): Promise<AccountWafInventory[] | undefined> {
  const waf = ctx.waf;
  if (!waf || ctx.config.waf.mode !== "recommend") return undefined;
  return readInventories({ ...ctx, waf }, accounts);
}

/** Account reports wait for the sections when the Config rules run, or when some account has an ALB or distribution. */
export function reportsWaitForSections(ctx: HubContext, inventories: AccountWafInventory[] | undefined): boolean {
  if (ctx.config.compliance.inRun) return true;
  if (!wafInRun(ctx) || !ctx.waf) return false;
  return inventories === undefined || inventories.some((inv) => inv.doors.length > 0);
}

/**
 * After evaluation: the WAF check over the tenant snapshots the run already holds, then the Config rules. An error in
 * either is recorded (per account where it has one) and the run goes on; each account's WAF counts go on its record.
 */
export async function runSections(
  ctx: HubContext,
  run: { runId: string; actor: string },
  input: { accounts: OrgAccount[]; evaluations: TenantEvaluation[]; inventories?: AccountWafInventory[] },
): Promise<RunSections> {
  const sections: RunSections = { byAccount: new Map(), errors: [] };
  const section = (accountId: string) => sections.byAccount.get(accountId) ?? {};
  if (wafInRun(ctx)) await wafSection(ctx, run, input, sections, section);
  if (ctx.config.compliance.inRun)
    try {
      const rules = ctx.config.compliance.rules.map((json) => parseRuleParameters(json));
      const result = await evaluateOrganizationCompliance(ctx, rules);
      for (const account of input.accounts) {
        const rows = result.rows.filter((r) => r.accountId === account.id);
        sections.byAccount.set(account.id, { ...section(account.id), compliance: rows });
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

async function wafSection(
  ctx: HubContext,
  run: { runId: string; actor: string },
  input: { accounts: OrgAccount[]; evaluations: TenantEvaluation[]; inventories?: AccountWafInventory[] },
  sections: RunSections,
  section: (accountId: string) => AccountSections,
): Promise<void> {
  const waf = ctx.waf;
  if (!waf) {
    // Not an error of the run: the configuration gives no way into the accounts (docs/integrations.md#waf).
    ctx.logger.warn("WAF check skipped: organization mode needs collection.memberRole to read the accounts");
    return;
  }
  try {
    const sources: WafTenantSource[] = input.evaluations.flatMap((e) =>
      e.tenant === null
        ? []
        : [{ tenant: e.tenant, ...(e.api ? { api: e.api } : {}), ...(e.snapshot ? { snapshot: e.snapshot } : {}) }],
    );
    const outcome = await checkWafWith(
      { ...ctx, waf },
      {
        ...run,
        accounts: input.accounts,
        sources: async () => sources,
        ...(input.inventories ? { inventories: input.inventories } : {}),
      },
    );
    sections.errors.push(...outcome.errors);
    if (outcome.stopped) sections.errors.push({ scope: "waf", subject: "apply", ...outcome.stopped });
    for (const account of input.accounts) {
      const rows = outcome.rows.filter((r) => r.accountId === account.id);
      // An account with no ALB or distribution gets no WAF sheet, only its zero counts in the roll-up.
      if (rows.length > 0) sections.byAccount.set(account.id, { ...section(account.id), waf: rows });
      const counts = wafCountsOf(
        rows,
        outcome.events.filter((e) => e.accountId === account.id),
      );
      const record = await ctx.runs.getAccountRun(run.runId, account.id);
      if (record) await ctx.runs.putAccountRun({ ...record, waf: counts });
    }
  } catch (error) {
    sections.errors.push({ scope: "waf", subject: "run", ...summarizeError(error) });
  }
}
