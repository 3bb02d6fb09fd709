import { neutralizeFormula } from "@wshub/core";

/** What a report cell holds once prepared: text, a number, or nothing. */
export type CellValue = string | number | null;

/**
 * One column of a tabular report, shared by the CSV and the XLSX writers so both always agree on names, order
 * and values. `value` returns raw data; `tableCells` applies the safety rules.
 */
export interface Column<T> {
  /** The header, also the CSV column name (snake_case, stable: consumers parse by it). */
  header: string;
  /** XLSX width in characters. */
  width: number;
  value(row: T): string | number | null | undefined;
}

export function columnHeaders<T>(columns: readonly Column<T>[]): string[] {
  return columns.map((column) => column.header);
}

/** The cells of one row: numbers stay numbers; non-finite numbers and absent values become empty cells. */
export function tableCells<T>(columns: readonly Column<T>[], row: T): CellValue[] {
  return columns.map((column) => toCell(column.value(row)));
}

export function toCell(value: string | number | null | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value;
}

/**
 * A CSV cell is only text, which a spreadsheet may evaluate on opening: every text cell of every CSV goes through
 * `neutralizeFormula` here, in one place. XLSX cells are typed strings, never formulas, and need no guard (a quote
 * there would show as part of the value).
 */
export function csvCell(cell: CellValue): CellValue {
  return typeof cell === "string" ? neutralizeFormula(cell) : cell;
}

/** Space-separated list, for identifiers that never contain spaces (rule identifiers, ARNs, ids). */
export function spaced(values: readonly (string | number)[]): string {
  return values.join(" ");
}

/** "; "-separated list, for values that may contain spaces (package labels, rule names). */
export function listed(values: readonly string[]): string {
  return values.join("; ");
}
