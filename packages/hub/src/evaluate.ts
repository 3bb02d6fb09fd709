import {
  accountInsights,
  buildTenantIndex,
  digest,
  instancesFingerprint,
  coverageKeys,
  tenantKeyPrinter,
  countCoverage,
  evaluateCoverage,
  mapWithConcurrency,
  ouPathLabel,
  summarizeError,
  type AccountCoverage,
  type AccountRunRecord,
  type CoverageKeys,
  type ErrorSummary,
  type OrgAccount,
  type TenantIndex,
  type TenantSnapshot,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import { carryShieldState } from "./shield-state.js";
import { instancesWithoutAgent, unitsOf } from "./evaluate-units.js";
import { loadTenantSnapshot, openTenant } from "./tenants.js";
import { withApplicationTypes } from "./waf-account.js";

export { instancesWithoutAgent, unitOf } from "./evaluate-units.js";

/** Accounts of one tenant evaluated at once (store reads and writes overlap). */
const ACCOUNT_CONCURRENCY = 4;

export interface TenantEvaluation {
  tenant: string | null;
  coverage: AccountCoverage[];
  snapshot?: TenantSnapshot;
  index?: TenantIndex;
  api?: WorkloadSecurityTenantApi;
  error?: ErrorSummary;
  /** Workload Security calls made for this tenant. */
  apiCalls: number;
}

export interface EvaluateOptions {
  includePolicies: boolean;
  /**
   * Called as each account is done with its rows' number; `coverage` is absent when its rows were not loaded
   * (unchanged account) or not asked for (`handRows: false`).
   */
  onAccount?: (accountId: string, coverage: AccountCoverage | undefined, rows: number) => Promise<void>;
  /** false: onAccount gets no rows (a report worker reads them from the store); they need not wait in memory. */
  handRows?: boolean;
  /** false: hand back only the headers (rows are in the store); keeps memory flat for large organizations. */
  keepRows?: boolean;
  /** Read the tenant's `/applicationtypes` into its snapshot (the WAF check classes instances from them). */
  applicationTypes?: boolean;
  /** Called once the tenant's snapshot is loaded, before its accounts are evaluated. */
  onLoaded?: (snapshot: TenantSnapshot) => void;
}

/**
 * Evaluate the coverage of every collected account of one tenant (or of the accounts that map to none): fetch the
 * tenant's catalog and fleet once, index them, then give each coverage row its status. Coverage is stored per
 * account, so reports can be rebuilt from the store. A tenant that cannot be read fails its accounts, not the run.
 */
export async function evaluateTenant(
  ctx: HubContext,
  runId: string,
  tenant: string | null,
  accounts: OrgAccount[],
  options: EvaluateOptions = { includePolicies: false },
): Promise<TenantEvaluation> {
  let loaded: LoadedTenant | undefined;
  if (tenant !== null) {
    try {
      loaded = await loadTenant(ctx, tenant, options.includePolicies);
      if (options.applicationTypes) await withApplicationTypes(ctx, loaded.api, loaded.snapshot);
      options.onLoaded?.(loaded.snapshot);
    } catch (error) {
      const summary = await failTenantAccounts(ctx, { runId, tenant, accounts, error });
      return { tenant, coverage: [], error: summary, apiCalls: 0 };
    }
  }
  const coverage = await evaluateCollected(ctx, { runId, tenant, accounts, index: loaded?.index ?? null }, options);
  const evaluation: TenantEvaluation = { tenant, coverage, apiCalls: loaded?.api.calls ?? 0 };
  if (loaded) Object.assign(evaluation, loaded);
  return evaluation;
}

/** A tenant that cannot be read (or whose snapshot is missing) fails its collected accounts, not the run. */
export async function failTenantAccounts(
  ctx: HubContext,
  failed: { runId: string; tenant: string; accounts: OrgAccount[]; error: unknown },
): Promise<ErrorSummary> {
  const summary = summarizeError(failed.error);
  ctx.logger.warn("tenant not evaluated", { tenant: failed.tenant, code: summary.code, reason: summary.message });
  const records = await collectedRecords(ctx, failed.runId, failed.accounts);
  await Promise.all(
    records.map(({ record }) => ctx.runs.putAccountRun({ ...record, status: "failed", error: summary })),
  );
  return summary;
}

/** Evaluate the collected accounts among `accounts` against one tenant's index (null: the unmapped accounts). */
export async function evaluateCollected(
  ctx: HubContext,
  batch: { runId: string; tenant: string | null; accounts: OrgAccount[]; index: TenantIndex | null },
  options: Omit<EvaluateOptions, "includePolicies">,
): Promise<AccountCoverage[]> {
  const { runId, tenant, index } = batch;
  const printer = tenantKeyPrinter(index);
  const collected = await collectedRecords(ctx, runId, batch.accounts);
  return mapWithConcurrency(collected, ACCOUNT_CONCURRENCY, async ({ account, record }) => {
    const done = await evaluatedAccount(ctx, { runId, account, tenant, index, printer, record }, options);
    // Reporting an account while the next ones are evaluated overlaps rendering with store I/O.
    if (options.onAccount) await options.onAccount(account.id, done.handed, done.rows);
    return done.kept ?? (await ctx.runs.getCoverage(runId, account.id)) ?? done.header;
  });
}

/**
 * One account evaluated, reduced to what outlives it. Its rows leave with this call unless kept or handed on: a
 * caller waiting for a report slot then holds no rows (12 accounts' rows waited in the main thread at M).
 */
async function evaluatedAccount(
  ctx: HubContext,
  evaluation: AccountEvaluation,
  options: Pick<EvaluateOptions, "keepRows" | "handRows">,
): Promise<{ rows: number; handed?: AccountCoverage; kept?: AccountCoverage; header: AccountCoverage }> {
  const { coverage, reused } = await evaluateAccount(ctx, evaluation);
  const header = { ...coverage, rows: [] };
  const done: Awaited<ReturnType<typeof evaluatedAccount>> = { rows: coverage.rows.length, header };
  if (!reused && options.handRows !== false) done.handed = coverage;
  if (options.keepRows === false) done.kept = header;
  else if (!reused) done.kept = coverage;
  return done;
}

async function collectedRecords(
  ctx: HubContext,
  runId: string,
  accounts: OrgAccount[],
): Promise<{ account: OrgAccount; record: AccountRunRecord }[]> {
  const records = new Map((await ctx.runs.listAccountRuns(runId)).map((r) => [r.accountId, r]));
  return accounts.flatMap((account) => {
    const record = records.get(account.id);
    return record?.status === "collected" ? [{ account, record }] : [];
  });
}

interface LoadedTenant {
  snapshot: TenantSnapshot;
  index: TenantIndex;
  api: WorkloadSecurityTenantApi;
}

async function loadTenant(ctx: HubContext, tenant: string, includePolicies: boolean): Promise<LoadedTenant> {
  const api = await openTenant(ctx, tenant);
  const snapshot = await loadTenantSnapshot(ctx, api, { includePolicies });
  ctx.logger.info("tenant loaded", {
    tenant,
    rules: snapshot.rules.length,
    computers: snapshot.computers.length,
    calls: api.calls,
  });
  return { snapshot, index: buildTenantIndex(snapshot), api };
}

interface AccountEvaluation {
  runId: string;
  account: OrgAccount;
  tenant: string | null;
  index: TenantIndex | null;
  printer: (keys: CoverageKeys) => string;
  record: AccountRunRecord;
}

/**
 * One account: if nothing its rows read has changed since its last evaluation (its stored findings, the tenant's rules
 * and computers at its vulnerabilities and instances, its EC2 instances, name, OU and tenant), link that coverage to
 * this run instead of recomputing it; otherwise evaluate every unit and store the rows. Only this account's keys
 * count, so a change elsewhere in the tenant (or an agent's heartbeat) re-evaluates nothing here.
 */
async function evaluateAccount(
  ctx: HubContext,
  { runId, account, tenant, index, printer, record }: AccountEvaluation,
): Promise<{ coverage: AccountCoverage; reused: boolean }> {
  const [instances, version, stamp] = await Promise.all([
    ctx.runs.getInstances(runId, account.id),
    ctx.findings.version(account.id),
    ctx.runs.latestCoverage(account.id),
  ]);
  const findingsVersion = version ?? "none";
  const contextOf = (keys: CoverageKeys) =>
    digest(
      [tenant ?? "-", printer(keys), instancesFingerprint(instances), account.name, ouPathLabel(account)].join(
        "\u001f",
      ),
    );
  const header = {
    runId,
    accountId: account.id,
    accountName: account.name,
    ouPath: ouPathLabel(account),
    tenant,
    evaluatedAt: ctx.clock.now().toISOString(),
  };
  const previous = stamp?.inputs;
  const sameFindings = previous?.findingsVersion === findingsVersion;
  if (stamp && sameFindings && contextOf(previous.keys) === previous.context) {
    ctx.logger.debug("account coverage reused", {
      accountId: account.id,
      tenant: tenant ?? "none",
      fromRun: stamp.runId,
    });
    await ctx.runs.linkCoverage(runId, account.id, stamp);
    await ctx.runs.putAccountRun({
      ...record,
      counts: stamp.counts,
      findingCounts: stamp.findingCounts,
      instancesWithoutAgent: stamp.instancesWithoutAgent,
      ...(stamp.insights ? { insights: stamp.insights } : {}),
    });
    return {
      coverage: { ...header, rows: [], instancesWithoutAgent: [], findingCounts: stamp.findingCounts },
      reused: true,
    };
  }
  const earlier = stamp ? await ctx.runs.getCoverage(stamp.runId, account.id) : undefined;
  const { units, findingCounts } = await unitsOf(ctx, account.id, sameFindings ? earlier : undefined);
  const rows = evaluateCoverage(units, account, index);
  ctx.logger.debug("account evaluated", {
    accountId: account.id,
    tenant: tenant ?? "none",
    rows: rows.length,
    unitsFromRun: sameFindings ? (stamp?.runId ?? "none") : "none",
  });
  await carryShieldState(ctx, rows, earlier, header.evaluatedAt);
  const insights = accountInsights(rows);
  const coverage: AccountCoverage = {
    ...header,
    rows,
    instancesWithoutAgent: instancesWithoutAgent(instances, rows, index),
    findingCounts,
  };
  const keys = coverageKeys(units, instances);
  await ctx.runs.putCoverage(coverage, { findingsVersion, context: contextOf(keys), keys }, insights);
  await ctx.runs.putAccountRun({
    ...record,
    counts: countCoverage(rows),
    findingCounts,
    instancesWithoutAgent: coverage.instancesWithoutAgent.length,
    insights,
  });
  return { coverage, reused: false };
}
