import { COVERAGE_STATUSES, type CoverageStatus } from "../coverage.js";
import { percent, type CoverageCounts, type StatusCounts } from "../summary.js";

/** How many runs a trend covers. */
export const TREND_RUNS = 12;

/** One run's point of a coverage trend (an account's or the organization's). */
export interface TrendPoint {
  runId: string;
  /** When the run started (ISO 8601). */
  at: string;
  rows: number;
  byStatus: StatusCounts;
  coveragePercent: number | null;
  shieldablePercent: number | null;
}

/** A run as a trend reads it: its start and the counts of the scope (organization or one account), when assessed. */
export interface TrendSource {
  runId: string;
  startedAt: string;
  counts?: CoverageCounts;
}

/** The last `limit` runs that have counts, oldest first. */
export function trendSeries(sources: readonly TrendSource[], limit = TREND_RUNS): TrendPoint[] {
  return sources
    .filter((source): source is TrendSource & { counts: CoverageCounts } => source.counts !== undefined)
    .sort((a, b) => (a.startedAt === b.startedAt ? cmp(a.runId, b.runId) : cmp(a.startedAt, b.startedAt)))
    .slice(-limit)
    .map((source) => ({
      runId: source.runId,
      at: source.startedAt,
      rows: source.counts.rows,
      byStatus: { ...source.counts.byStatus },
      coveragePercent: source.counts.coveragePercent,
      shieldablePercent: source.counts.shieldablePercent,
    }));
}

/** Each status's share of the point's rows, in percent with one decimal. */
export function statusPercent(point: TrendPoint, status: CoverageStatus): number | null {
  return percent(point.byStatus[status], point.rows);
}

export function statusPercents(point: TrendPoint): Record<CoverageStatus, number | null> {
  return Object.fromEntries(COVERAGE_STATUSES.map((status) => [status, statusPercent(point, status)])) as Record<
    CoverageStatus,
    number | null
  >;
}

/** Change of the coverage percentage from the first to the last point (null with fewer than two). */
export function coverageChange(series: readonly TrendPoint[]): number | null {
  const first = series[0]?.coveragePercent;
  const last = series[series.length - 1]?.coveragePercent;
  if (series.length < 2 || first === null || first === undefined || last === null || last === undefined) return null;
  return Math.round((last - first) * 10) / 10;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
