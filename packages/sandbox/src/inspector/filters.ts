import { validation } from "./errors.js";

/**
 * Inspector's filter semantics (API reference, FilterCriteria): the filters of different fields are ANDed; within one
 * field, EQUALS and PREFIX values are ORed, NOT_EQUALS values each exclude. Every list holds 1 to 10 filters.
 */
export interface StringFilter {
  comparison: string;
  value: string;
}

export interface DateFilter {
  startInclusive?: number;
  endInclusive?: number;
}

export interface NumberFilter {
  lowerInclusive?: number;
  upperInclusive?: number;
}

export const MAX_FILTERS = 10;
const STRING_COMPARISONS = new Set(["EQUALS", "PREFIX", "NOT_EQUALS"]);

export function checkList(field: string, list: unknown): unknown[] {
  if (!Array.isArray(list)) throw validation(`${field} must be a list`, field);
  if (list.length < 1 || list.length > MAX_FILTERS)
    throw validation(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${MAX_FILTERS}`,
      field,
    );
  return list;
}

export function stringMatcher(
  field: string,
  raw: unknown,
  comparisons = STRING_COMPARISONS,
): (value: string | undefined) => boolean {
  const filters = checkList(field, raw) as StringFilter[];
  for (const f of filters) {
    if (!comparisons.has(f?.comparison))
      throw validation(`${field}.comparison must be one of ${[...comparisons].join(", ")}`, field);
    if (typeof f.value !== "string" || f.value.length < 1 || f.value.length > 1024)
      throw validation(`${field}.value must be 1 to 1024 characters`, field);
  }
  const include = filters.filter((f) => f.comparison !== "NOT_EQUALS");
  const exclude = filters.filter((f) => f.comparison === "NOT_EQUALS").map((f) => f.value);
  return (value) => {
    const v = value ?? "";
    if (exclude.includes(v)) return false;
    if (include.length === 0) return true;
    return include.some((f) => (f.comparison === "EQUALS" ? v === f.value : v.startsWith(f.value)));
  };
}

/** The accepted EQUALS values of a filter (used to narrow the accounts scanned). */
export function equalsValues(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const filters = raw as StringFilter[];
  if (filters.some((f) => f.comparison !== "EQUALS")) return undefined;
  return filters.map((f) => f.value);
}

export function dateMatcher(field: string, raw: unknown): (epochSeconds: number | undefined) => boolean {
  const filters = checkList(field, raw) as DateFilter[];
  return (value) =>
    value !== undefined &&
    filters.some(
      (f) =>
        (f.startInclusive === undefined || value >= f.startInclusive) &&
        (f.endInclusive === undefined || value <= f.endInclusive),
    );
}

export function numberMatcher(field: string, raw: unknown): (value: number | undefined) => boolean {
  const filters = checkList(field, raw) as NumberFilter[];
  return (value) =>
    value !== undefined &&
    filters.some(
      (f) =>
        (f.lowerInclusive === undefined || value >= f.lowerInclusive) &&
        (f.upperInclusive === undefined || value <= f.upperInclusive),
    );
}

export function mapMatcher(field: string, raw: unknown): (tags: Record<string, string>) => boolean {
  const filters = checkList(field, raw) as { comparison: string; key: string; value?: string }[];
  for (const f of filters) if (f.comparison !== "EQUALS") throw validation(`${field}.comparison must be EQUALS`, field);
  return (tags) => filters.some((f) => tags[f.key] !== undefined && (f.value === undefined || tags[f.key] === f.value));
}
