import type { CoverageRow } from "@wshub/core";
import { COVERAGE_COLUMNS } from "./coverage-columns.js";
import { writeCsv, type CsvOptions, type ReportTarget, type WriteResult } from "./csv-writer.js";

/** One account's coverage CSV (columns: see COVERAGE_COLUMNS), streamed to a file path or a Writable. */
export function writeCoverageCsv(
  target: ReportTarget,
  rows: Iterable<CoverageRow> | AsyncIterable<CoverageRow>,
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, COVERAGE_COLUMNS, rows, options);
}
