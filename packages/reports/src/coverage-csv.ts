import { COVERAGE_COLUMNS } from "./coverage-columns.js";
import { writeCsv, type CsvOptions, type ReportTarget, type WriteResult } from "./csv-writer.js";
import type { RankedRow } from "./ranked-rows.js";

/**
 * One account's coverage CSV (columns: see COVERAGE_COLUMNS), streamed to a file path or a Writable. The reports
 * pass ranked rows (rankRows: priority order, with priority and days exposed); plain rows leave those cells empty.
 */
export function writeCoverageCsv(
  target: ReportTarget,
  rows: Iterable<RankedRow> | AsyncIterable<RankedRow>,
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, COVERAGE_COLUMNS, rows, options);
}
