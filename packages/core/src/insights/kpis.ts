import type { CoverageRow } from "../coverage.js";
import { statusIfAssigned } from "../coverage.js";
import { percent } from "../summary.js";

/**
 * The shielding KPIs of a set of rows, as counts (additive across accounts; percentages are derived):
 *   unshieldedExploitable  rows not `protected` whose finding says an exploit is available
 *   shieldableNow          `rule-available` rows: an assignment away from a covering rule
 *   wouldProtect           those of them that assignment alone would make `protected` (agent running, IPS in
 *                          prevent, a covering rule that is not detect-only); the others would land in
 *                          `detect-only` or `inactive`
 * Projected coverage = (protected + wouldProtect) ÷ rows: the coverage if every `rule-available` row were assigned.
 */
export interface ShieldKpis {
  rows: number;
  protected: number;
  unshieldedExploitable: number;
  shieldableNow: number;
  wouldProtect: number;
}

export type KpiRow = Pick<CoverageRow, "coverage" | "exploitAvailable" | "coveringRules" | "computer">;

export function emptyKpis(): ShieldKpis {
  return { rows: 0, protected: 0, unshieldedExploitable: 0, shieldableNow: 0, wouldProtect: 0 };
}

export function addRowToKpis(kpis: ShieldKpis, row: KpiRow): void {
  kpis.rows++;
  if (row.coverage === "protected") {
    kpis.protected++;
    return;
  }
  if (row.exploitAvailable === "YES") kpis.unshieldedExploitable++;
  if (row.coverage === "rule-available") {
    kpis.shieldableNow++;
    if (statusIfAssigned(row) === "protected") kpis.wouldProtect++;
  }
}

export function computeKpis(rows: Iterable<KpiRow>): ShieldKpis {
  const kpis = emptyKpis();
  for (const row of rows) addRowToKpis(kpis, row);
  return kpis;
}

export function mergeKpis(target: ShieldKpis, source: ShieldKpis): ShieldKpis {
  target.rows += source.rows;
  target.protected += source.protected;
  target.unshieldedExploitable += source.unshieldedExploitable;
  target.shieldableNow += source.shieldableNow;
  target.wouldProtect += source.wouldProtect;
  return target;
}

/** protected ÷ rows, in percent with one decimal (null without rows). */
export function kpiCoveragePercent(kpis: ShieldKpis): number | null {
  return percent(kpis.protected, kpis.rows);
}

/** (protected + wouldProtect) ÷ rows: the coverage if every `rule-available` row were assigned. */
export function projectedCoveragePercent(kpis: ShieldKpis): number | null {
  return percent(kpis.protected + kpis.wouldProtect, kpis.rows);
}
