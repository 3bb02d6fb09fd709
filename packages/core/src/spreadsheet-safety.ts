/**
 * Neutralise spreadsheet formula injection (coverage.md): a cell starting with =, +, -, @, tab or carriage
 * return is prefixed with a single quote, which spreadsheets display as text and never evaluate. Values come from
 * tags, names and titles that account owners control, so every text cell of every report goes through this.
 */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

export function neutralizeFormula(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0] as string) ? `'${value}` : value;
}

export function isFormulaLike(value: string): boolean {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0] as string);
}
