import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { columnHeaders, csvCell, tableCells, toCell, type CellValue, type Column } from "./table.js";

/** A file path, or a Writable the caller owns (it is ended when the CSV is complete). */
export type ReportTarget = string | Writable;

export interface CsvOptions {
  /**
   * Prefix a UTF-8 byte order mark. Off by default: RFC 4180 consumers and the sandbox's expected files have none;
   * turn it on only for files meant to be double-clicked into Excel.
   */
  bom?: boolean;
}

export interface WriteResult {
  rows: number;
}

/**
 * Stream rows as RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break) to a
 * file or a Writable. Rows are pulled one at a time with back-pressure, so memory does not grow with the row count.
 */
export async function writeCsv<T>(
  target: ReportTarget,
  columns: readonly Column<T>[],
  rows: Iterable<T> | AsyncIterable<T>,
  options: CsvOptions = {},
): Promise<WriteResult> {
  const counter = { rows: 0 };
  const stringifier = stringify({ record_delimiter: "windows", bom: options.bom ?? false });
  try {
    await pipeline(Readable.from(records(columns, rows, counter)), stringifier, destination(target));
  } catch (error) {
    throw new WshubError(
      ERROR_CODES.REPORT_FAILED,
      `writing CSV to ${describeTarget(target)} failed`,
      {
        target: describeTarget(target),
      },
      { cause: error },
    );
  }
  return { rows: counter.rows };
}

async function* records<T>(
  columns: readonly Column<T>[],
  rows: Iterable<T> | AsyncIterable<T>,
  counter: { rows: number },
): AsyncGenerator<CellValue[]> {
  yield columnHeaders(columns).map(toCell).map(csvCell);
  for await (const row of rows) {
    counter.rows++;
    yield tableCells(columns, row).map(csvCell);
  }
}

function destination(target: ReportTarget): Writable {
  return typeof target === "string" ? createWriteStream(target) : target;
}

export function describeTarget(target: ReportTarget): string {
  return typeof target === "string" ? target : "a stream";
}
