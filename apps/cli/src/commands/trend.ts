import { COVERAGE_STATUSES, ERROR_CODES, statusPercents, WshubError, type TrendPoint } from "@wshub/core";
import { runInsights } from "@wshub/hub";
import { TREND_COLUMNS, writeTrendCsv } from "@wshub/reports";
import { EXIT } from "../exit-codes.js";
import { textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface TrendCommandOptions extends GlobalOptions {
  run?: string;
  account?: string;
}

/**
 * `wshub trend`: coverage per status over the last 12 finished runs up to a run (default: the latest), for the
 * organization or one account; a table, JSON, or CSV (`-o csv`: the trend CSV's columns).
 */
export async function trendCommand(options: TrendCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const { run, accounts, organization } = await runInsights(ctx, options.run);
  const account = options.account ? accounts.find((a) => a.accountId === options.account) : undefined;
  if (options.account && !account)
    throw new WshubError(ERROR_CODES.NO_COVERAGE, `run ${run.runId} has no record of account ${options.account}`, {
      runId: run.runId,
      accountId: options.account,
    });
  const points = account ? (organization.accountTrends[account.accountId] ?? []) : organization.trend;
  const scope = account
    ? { scope: "account" as const, accountId: account.accountId, accountName: account.accountName }
    : { scope: "organization" as const };
  if (options.output === "json") {
    const series = points.map((point) => ({ ...point, percentByStatus: statusPercents(point) }));
    process.stdout.write(`${JSON.stringify({ ...scope, runId: run.runId, points: series }, null, 2)}\n`);
  } else if (options.output === "csv") {
    await writeTrendCsv(
      process.stdout,
      points.map((point) => ({ ...scope, point })),
    );
  } else process.stdout.write(`${trendTable(points)}\n${points.length} run(s); CSV columns: ${TREND_COLUMNS.length}\n`);
  return EXIT.OK;
}

function trendTable(points: TrendPoint[]): string {
  const pct = (value: number | null) => (value === null ? "-" : `${value}%`);
  return textTable(
    ["run", "started", "rows", "covered", ...COVERAGE_STATUSES],
    points.map((p) => {
      const shares = statusPercents(p);
      return [
        p.runId,
        p.at.slice(0, 16),
        p.rows,
        pct(p.coveragePercent),
        ...COVERAGE_STATUSES.map((s) => pct(shares[s])),
      ];
    }),
  );
}
