import { parseBoolean } from "./booleans.js";
import { ApiError } from "./errors.js";
import { searchableFields, type SearchKind } from "./searchable.js";

/** The vendor's cap and default for `maxItems` (treated as a hard cap, as the notes advise). */
export const MAX_ITEMS = 5000;

type Criterion = Record<string, unknown>;
type Test = (object: Record<string, unknown>) => boolean;

const NUMERIC_TESTS: Record<string, (a: number, b: number) => boolean> = {
  "less-than": (a, b) => a < b,
  "less-than-or-equal": (a, b) => a <= b,
  equal: (a, b) => a === b,
  "greater-than-or-equal": (a, b) => a >= b,
  "greater-than": (a, b) => a > b,
  "not-equal": (a, b) => a !== b,
};

export interface ParsedSearch {
  maxItems: number;
  test: Test;
}

/**
 * A `searchFilter` (spec §searchFilter) as a predicate over rendered objects: criteria ANDed, `maxItems` checked.
 * Results are always in ascending `ID` order, with or without `sortByObjectID` (the default order is unspecified by
 * the vendor; ascending ID makes keyset paging correct either way).
 */
export function parseSearch(body: unknown, schemaName: string): ParsedSearch {
  const filter = (body ?? {}) as Record<string, unknown>;
  if (typeof filter !== "object" || Array.isArray(filter))
    throw new ApiError(400, "The search filter must be a JSON object.");
  const maxItems = filter["maxItems"] === undefined ? MAX_ITEMS : filter["maxItems"];
  if (typeof maxItems !== "number" || !Number.isInteger(maxItems) || maxItems < 0 || maxItems > MAX_ITEMS)
    throw new ApiError(400, `maxItems must be an integer between 0 and ${MAX_ITEMS}.`);
  const sort = filter["sortByObjectID"];
  if (sort !== undefined && parseBoolean(sort) === undefined)
    throw new ApiError(400, "sortByObjectID must be a boolean.");
  const raw = filter["searchCriteria"];
  // The vendor's own samples pass one criteria object instead of a list: both are accepted.
  const criteria = raw === undefined ? [] : Array.isArray(raw) ? (raw as Criterion[]) : [raw as Criterion];
  const fields = searchableFields(schemaName);
  const tests = criteria.map((c) => criterionTest(c, fields));
  return { maxItems, test: (object) => tests.every((t) => t(object)) };
}

function criterionTest(c: Criterion, fields: Map<string, Set<SearchKind>>): Test {
  if (typeof c !== "object" || c === null) throw new ApiError(400, "Each search criterion must be an object.");
  if (c["idTest"] !== undefined || (c["idValue"] !== undefined && c["fieldName"] === undefined)) {
    const op = NUMERIC_TESTS[String(c["idTest"] ?? "equal")];
    const value = Number(c["idValue"]);
    if (!op || !Number.isFinite(value)) throw new ApiError(400, "An ID search needs idValue and a valid idTest.");
    return (o) => op(Number(o["ID"]), value);
  }
  const field = c["fieldName"];
  if (typeof field !== "string" || field === "")
    throw new ApiError(400, "fieldName is required for all tests except idTest.");
  const kinds = fields.get(field);
  if (!kinds) throw new ApiError(400, `The field "${field}" is not searchable.`);
  const path = field.split("/");
  const at = (o: Record<string, unknown>) => valueAt(o, path);
  if (c["nullTest"] !== undefined) {
    const wantNull = c["nullTest"] !== false;
    return (o) => (at(o) === undefined || at(o) === null) === wantNull;
  }
  const need = (kind: SearchKind) => {
    if (!kinds.has(kind)) throw new ApiError(400, `The field "${field}" is not searchable as ${kind}.`);
  };
  if (c["stringValue"] !== undefined || c["stringTest"] !== undefined) {
    need("String");
    return stringTest(c, at);
  }
  if (c["numericValue"] !== undefined || c["numericTest"] !== undefined) {
    need("Numeric");
    const op = NUMERIC_TESTS[String(c["numericTest"] ?? "equal")];
    const value = Number(c["numericValue"]);
    if (!op || !Number.isFinite(value)) throw new ApiError(400, `Invalid numeric test on "${field}".`);
    return (o) => {
      const v = at(o);
      return v !== undefined && v !== null && op(Number(v), value);
    };
  }
  if (c["booleanTest"] !== undefined) {
    need("Boolean");
    const want = parseBoolean(c["booleanTest"]) === true;
    return (o) => at(o) === want;
  }
  if (c["choiceValue"] !== undefined || c["choiceTest"] !== undefined) {
    need("Choice");
    const equal = (c["choiceTest"] ?? "equal") === "equal";
    return (o) => (at(o) === c["choiceValue"]) === equal;
  }
  if (c["firstDateValue"] !== undefined || c["lastDateValue"] !== undefined) {
    need("Date");
    return dateTest(c, at);
  }
  if (c["versionTest"] !== undefined || c["versionValue"] !== undefined) {
    // No field of the vendor's spec says "Searchable as Version", so the real API rejects every version test.
    need("Version");
  }
  throw new ApiError(400, `The criterion on "${field}" has no test.`);
}

function stringTest(c: Criterion, at: (o: Record<string, unknown>) => unknown): Test {
  const test = c["stringTest"] ?? "equal";
  if (test !== "equal" && test !== "not-equal") throw new ApiError(400, "stringTest must be equal or not-equal.");
  const pattern = String(c["stringValue"] ?? "");
  const wildcards = c["stringWildcards"] !== false && c["stringWildcards"] !== "false";
  const matches = wildcards ? likeMatcher(pattern) : (v: string) => v === pattern;
  return (o) => {
    const v = at(o);
    // A string test on an array field (such as CVE) matches when any element matches.
    const values = Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
    const any = values.some(matches);
    return test === "equal" ? any : !any;
  };
}

/** SQL LIKE: `%` any run, `_` one character; everything else literal. */
function likeMatcher(pattern: string): (value: string) => boolean {
  if (!/[%_]/.test(pattern)) return (value) => value === pattern;
  const source = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/%/g, ".*")
    .replace(/_/g, ".");
  const regex = new RegExp(`^${source}$`, "s");
  return (value) => regex.test(value);
}

function dateTest(c: Criterion, at: (o: Record<string, unknown>) => unknown): Test {
  const first =
    c["firstDateValue"] === undefined || c["firstDateValue"] === null ? undefined : Number(c["firstDateValue"]);
  const last = c["lastDateValue"] === undefined || c["lastDateValue"] === null ? undefined : Number(c["lastDateValue"]);
  const firstInclusive = c["firstDateInclusive"] !== false;
  const lastInclusive = c["lastDateInclusive"] !== false;
  return (o) => {
    const v = at(o);
    if (typeof v !== "number") return false;
    if (first !== undefined && (firstInclusive ? v < first : v <= first)) return false;
    if (last !== undefined && (lastInclusive ? v > last : v >= last)) return false;
    return true;
  };
}

function valueAt(object: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = object;
  for (const part of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Apply a parsed search to objects (already rendered), ascending by ID, at most maxItems. */
export function runSearch(objects: Record<string, unknown>[], search: ParsedSearch): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  const ordered = isSortedById(objects) ? objects : [...objects].sort((a, b) => Number(a["ID"]) - Number(b["ID"]));
  for (const object of ordered) {
    if (result.length >= search.maxItems) break;
    if (search.test(object)) result.push(object);
  }
  return result;
}

function isSortedById(objects: Record<string, unknown>[]): boolean {
  for (let i = 1; i < objects.length; i++)
    if (Number(objects[i - 1]?.["ID"]) > Number(objects[i]?.["ID"])) return false;
  return true;
}
