import type { CoverageRow, CoverageStatus } from "../coverage.js";
import { compareUnits } from "../coverage.js";
import { severityRank } from "../severity.js";

/**
 * What to shield first: the order of the status ladder, each status ranked by how soon IPS can shield a row of it.
 *   1 rule-available  a rule exists and is not assigned: one assignment shields it (what `wshub assign` does), now
 *   2 detect-only     the rule is effective but only detects: one setting (prevent) shields it
 *   3 inactive        the rule is effective but IPS is off or the agent is not running: repair the agent first
 *   4 no-agent        IPS can shield it once an agent is deployed: a rollout, not a setting
 *   5 no-tenant       nobody has decided which tenant owns the account: a mapping, then likely an agent rollout
 *   6 no-rule         IPS has nothing for it: patching is the only fix, outside what wshub can speed up
 *   7 protected       nothing to do
 * Within a status (see comparePriority): exploit available first, then EPSS, Inspector score, severity, and the row
 * exposed the longest first; the row's key breaks the last ties so the order is total and stable.
 */
export const PRIORITY_LADDER: readonly CoverageStatus[] = [
  "rule-available",
  "detect-only",
  "inactive",
  "no-agent",
  "no-tenant",
  "no-rule",
  "protected",
];

const STATUS_RANK = new Map(PRIORITY_LADDER.map((status, index) => [status, index]));

/** The fields the order reads. */
export type PriorityFields = Pick<
  CoverageRow,
  | "accountId"
  | "region"
  | "instanceId"
  | "vulnerabilityId"
  | "coverage"
  | "severity"
  | "exploitAvailable"
  | "epssScore"
  | "inspectorScore"
  | "firstObservedAt"
>;

/** Negative when `a` comes first. Absent scores rank below any given score; an unknown first observation last. */
export function comparePriority(a: PriorityFields, b: PriorityFields): number {
  return (
    (STATUS_RANK.get(a.coverage) ?? 99) - (STATUS_RANK.get(b.coverage) ?? 99) ||
    exploitRank(b) - exploitRank(a) ||
    (b.epssScore ?? -1) - (a.epssScore ?? -1) ||
    (b.inspectorScore ?? -1) - (a.inspectorScore ?? -1) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareFirstObserved(a.firstObservedAt, b.firstObservedAt) ||
    compareUnits(a, b)
  );
}

function exploitRank(row: PriorityFields): number {
  return row.exploitAvailable === "YES" ? 1 : 0;
}

/** Earlier first observation = exposed longer = first. ISO 8601 instants in UTC compare as text. */
function compareFirstObserved(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

export interface Prioritized<T> {
  /** 1 = shield first. */
  priority: number;
  row: T;
}

/** The rows in priority order, numbered from 1. */
export function prioritize<T extends PriorityFields>(rows: readonly T[]): Prioritized<T>[] {
  return [...rows].sort(comparePriority).map((row, index) => ({ priority: index + 1, row }));
}

const DAY_MS = 86_400_000;

/** Whole days from Inspector's first observation to `asOf`; undefined when Inspector gave no first observation. */
export function daysExposed(row: Pick<CoverageRow, "firstObservedAt">, asOf: string): number | undefined {
  if (!row.firstObservedAt) return undefined;
  const ms = Date.parse(asOf) - Date.parse(row.firstObservedAt);
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / DAY_MS)) : undefined;
}
