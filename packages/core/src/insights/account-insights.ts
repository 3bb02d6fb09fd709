import type { CoverageRow } from "../coverage.js";
import { mergeHistograms } from "./histogram.js";
import { addRowToKpis, emptyKpis, mergeKpis, type ShieldKpis } from "./kpis.js";
import { comparePriority, type PriorityFields } from "./priority.js";
import { addRowToShieldSummary, emptyShieldSummary, type ShieldSummary } from "./time-to-shield.js";

/** How many of an account's unshielded rows it keeps by priority for the organization's "shield first" list. */
export const TOP_ROWS_KEPT = 20;

/** An unshielded row as the organization's reports list it (no coverage row is read again for them). */
export interface TopRow extends PriorityFields {
  accountName: string;
  instanceName?: string;
  ruleIdentifiers: string[];
  ruleNames: string[];
  fix: string;
}

/** What evaluation records per account and run beside the status counts: additive, so the roll-up needs no rows. */
export interface AccountInsights {
  kpis: ShieldKpis;
  shield: ShieldSummary;
  /** The account's first unshielded rows by priority (at most TOP_ROWS_KEPT). */
  top: TopRow[];
}

export function emptyInsights(): AccountInsights {
  return { kpis: emptyKpis(), shield: emptyShieldSummary(), top: [] };
}

export function accountInsights(rows: readonly CoverageRow[]): AccountInsights {
  const insights = emptyInsights();
  for (const row of rows) {
    addRowToKpis(insights.kpis, row);
    addRowToShieldSummary(insights.shield, row);
  }
  insights.top = topRows(rows.filter((row) => row.coverage !== "protected").map(topRow));
  return insights;
}

/** The organization's insights: sums, merged histograms, and the first rows of every account's list. */
export function mergeInsights(parts: Iterable<AccountInsights>): AccountInsights {
  const merged = emptyInsights();
  const top: TopRow[] = [];
  for (const part of parts) {
    mergeKpis(merged.kpis, part.kpis);
    mergeHistograms(merged.shield.shieldedHours, part.shield.shieldedHours);
    mergeHistograms(merged.shield.openSinceHours, part.shield.openSinceHours);
    merged.shield.protectedOnArrival += part.shield.protectedOnArrival;
    merged.shield.withoutFirstObservation += part.shield.withoutFirstObservation;
    for (const row of part.top) top.push(row);
  }
  merged.top = topRows(top);
  return merged;
}

function topRows(rows: TopRow[]): TopRow[] {
  return rows.sort(comparePriority).slice(0, TOP_ROWS_KEPT);
}

function topRow(row: CoverageRow): TopRow {
  const top: TopRow = {
    accountId: row.accountId,
    accountName: row.accountName,
    region: row.region,
    instanceId: row.instanceId,
    vulnerabilityId: row.vulnerabilityId,
    coverage: row.coverage,
    severity: row.severity,
    ruleIdentifiers: row.coveringRules.map((rule) => rule.identifier),
    ruleNames: row.coveringRules.map((rule) => rule.name),
    fix: row.fix,
  };
  for (const key of ["instanceName", "exploitAvailable", "epssScore", "inspectorScore", "firstObservedAt"] as const)
    if (row[key] !== undefined) Object.assign(top, { [key]: row[key] });
  return top;
}
