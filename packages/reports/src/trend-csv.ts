import { COVERAGE_STATUSES, statusPercent, type TrendPoint } from "@wshub/core";
import { writeCsv, type CsvOptions, type ReportTarget, type WriteResult } from "./csv-writer.js";
import type { Column } from "./table.js";

/** One line of the trend CSV: a point of the organization's series or of one account's. */
export interface TrendLine {
  scope: "organization" | "account";
  accountId?: string;
  accountName?: string;
  point: TrendPoint;
}

/**
 * The trend CSV: scope, account_id, account_name, run_id, run_started_at, rows, coverage_percent, shieldable_percent,
 * then `<status>_rows` and `<status>_percent` for every status (percent of the point's rows, one decimal).
 */
export const TREND_COLUMNS: readonly Column<TrendLine>[] = [
  { header: "scope", width: 13, value: (l) => l.scope },
  { header: "account_id", width: 14, value: (l) => l.accountId },
  { header: "account_name", width: 24, value: (l) => l.accountName },
  { header: "run_id", width: 30, value: (l) => l.point.runId },
  { header: "run_started_at", width: 22, value: (l) => l.point.at },
  { header: "rows", width: 8, value: (l) => l.point.rows },
  { header: "coverage_percent", width: 16, value: (l) => l.point.coveragePercent },
  { header: "shieldable_percent", width: 18, value: (l) => l.point.shieldablePercent },
  ...COVERAGE_STATUSES.flatMap((status): Column<TrendLine>[] => [
    { header: `${status}_rows`, width: 12, value: (l) => l.point.byStatus[status] },
    { header: `${status}_percent`, width: 12, value: (l) => statusPercent(l.point, status) },
  ]),
];

export function writeTrendCsv(
  target: ReportTarget,
  lines: Iterable<TrendLine>,
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, TREND_COLUMNS, lines, options);
}
