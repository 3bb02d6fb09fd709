import {
  accountInsights,
  countCoverage,
  ERROR_CODES,
  mergeInsights,
  shieldStats,
  TREND_RUNS,
  trendSeries,
  WshubError,
  type AccountCoverage,
  type AccountInsights,
  type AccountRunRecord,
  type OrganizationInsights,
  type ReportInsights,
  type RunRecord,
  type RunStore,
  type TrendPoint,
} from "@wshub/core";
import type { HubContext } from "./context.js";

/** A run of the history a trend reads, with its accounts' records. */
export interface HistoryRun {
  run: RunRecord;
  accounts: ReadonlyMap<string, AccountRunRecord>;
}

/** Runs a trend may include: finished ones (the run being reported is added by the caller). */
const FINISHED: ReadonlySet<RunRecord["status"]> = new Set(["succeeded", "partial"]);

const histories = new WeakMap<RunStore, Map<string, Promise<HistoryRun[]>>>();

/**
 * The finished runs before `runId` (at most TREND_RUNS - 1, newest last) with their account records: one listing and
 * one query a run, loaded once per process and run (report workers share it), never a Workload Security or Inspector call.
 */
export function runHistory(ctx: Pick<HubContext, "runs">, run: RunPoint): Promise<HistoryRun[]> {
  let byRun = histories.get(ctx.runs);
  if (!byRun) histories.set(ctx.runs, (byRun = new Map()));
  let history = byRun.get(run.runId);
  if (!history) {
    history = loadHistory(ctx.runs, run);
    byRun.set(run.runId, history);
    history.catch(() => byRun?.delete(run.runId));
  }
  return history;
}

/** The run a report belongs to, as far as a trend is concerned. */
export type RunPoint = Pick<RunRecord, "runId" | "startedAt">;

async function loadHistory(runs: RunStore, current: RunPoint): Promise<HistoryRun[]> {
  const earlier = (await runs.listRuns(TREND_RUNS * 2, current))
    .filter((run) => run.runId !== current.runId && FINISHED.has(run.status))
    .slice(0, TREND_RUNS - 1)
    .reverse();
  return Promise.all(
    earlier.map(async (run) => ({
      run,
      accounts: new Map((await runs.listAccountRuns(run.runId)).map((record) => [record.accountId, record])),
    })),
  );
}

/** An account's trend: its points in the earlier runs, then this run's from its coverage. */
export function accountTrend(history: readonly HistoryRun[], run: RunPoint, coverage: AccountCoverage): TrendPoint[] {
  return trendSeries([
    ...history.map((h) => sourceOf(h.run, h.accounts.get(coverage.accountId))),
    { runId: run.runId, startedAt: run.startedAt, counts: countCoverage(coverage.rows) },
  ]);
}

function sourceOf(run: RunPoint, record: Pick<AccountRunRecord, "counts"> | undefined) {
  return { runId: run.runId, startedAt: run.startedAt, ...(record?.counts ? { counts: record.counts } : {}) };
}

/** What an account's report shows beside its rows. */
export async function accountReportInsights(
  ctx: Pick<HubContext, "runs">,
  run: RunPoint,
  coverage: AccountCoverage,
): Promise<ReportInsights> {
  const history = await runHistory(ctx, run);
  const insights = accountInsights(coverage.rows);
  return {
    asOf: run.startedAt,
    kpis: insights.kpis,
    shield: shieldStats(insights.shield, run.startedAt),
    trend: accountTrend(history, run, coverage),
  };
}

/** What the organization's reports show: sums of the accounts' stored insights, and every trend. */
export async function organizationInsights(
  ctx: Pick<HubContext, "runs">,
  run: RunRecord,
  accounts: readonly AccountRunRecord[],
): Promise<OrganizationInsights> {
  const history = await runHistory(ctx, run);
  const merged = mergeInsights(assessed(accounts));
  const accountTrends: Record<string, TrendPoint[]> = {};
  for (const account of accounts)
    accountTrends[account.accountId] = trendSeries([
      ...history.map((h) => sourceOf(h.run, h.accounts.get(account.accountId))),
      sourceOf(run, account),
    ]);
  return {
    asOf: run.startedAt,
    kpis: merged.kpis,
    shield: shieldStats(merged.shield, run.startedAt),
    trend: trendSeries([...history.map((h) => sourceOf(h.run, h.run)), sourceOf(run, run)]),
    top: merged.top,
    accountTrends,
  };
}

function assessed(accounts: readonly AccountRunRecord[]): AccountInsights[] {
  return accounts.flatMap((account) => (account.counts && account.insights ? [account.insights] : []));
}

/** The run a command asks about: the given one, else the latest finished run. */
export async function resolveRun(ctx: Pick<HubContext, "runs">, runId?: string): Promise<RunRecord> {
  const run = runId
    ? await ctx.runs.getRun(runId)
    : (await ctx.runs.listRuns(TREND_RUNS * 2)).find((candidate) => FINISHED.has(candidate.status));
  if (!run)
    throw new WshubError(
      ERROR_CODES.RUN_NOT_FOUND,
      runId ? `run ${runId} does not exist (see \`wshub runs\`)` : "no finished run yet (see `wshub run`)",
      { runId: runId ?? "latest" },
    );
  return run;
}

/** `wshub kpis` / `wshub trend`: the organization's and every account's insights of one run, from the store alone. */
export async function runInsights(
  ctx: Pick<HubContext, "runs">,
  runId?: string,
): Promise<{ run: RunRecord; accounts: AccountRunRecord[]; organization: OrganizationInsights }> {
  const run = await resolveRun(ctx, runId);
  const accounts = await ctx.runs.listAccountRuns(run.runId);
  return { run, accounts, organization: await organizationInsights(ctx, run, accounts) };
}
