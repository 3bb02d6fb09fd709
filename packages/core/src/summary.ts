import type { CoverageRow, CoverageStatus } from "./coverage.js";
import { COVERAGE_STATUSES } from "./coverage.js";
import type { Finding } from "./finding.js";
import { isCoverageFinding } from "./finding.js";
import { SEVERITIES, type Severity } from "./severity.js";

export type StatusCounts = Record<CoverageStatus, number>;
export type SeverityCounts = Record<Severity, number>;

export interface CoverageCounts {
  rows: number;
  byStatus: StatusCounts;
  bySeverity: SeverityCounts;
  byStatusAndSeverity: Record<CoverageStatus, SeverityCounts>;
  /** protected ÷ all rows, in percent with one decimal; null when there are no rows. */
  coveragePercent: number | null;
  /** protected ÷ rows that IPS could shield (all but no-rule and no-tenant); null when none. */
  shieldablePercent: number | null;
}

export interface FindingCounts {
  total: number;
  /** Findings that make coverage rows: active EC2 package vulnerabilities. */
  coverage: number;
  active: number;
  suppressed: number;
  closed: number;
  otherTypes: number;
  otherResources: number;
}

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(COVERAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

export function emptySeverityCounts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
}

export function emptyCoverageCounts(): CoverageCounts {
  const byStatusAndSeverity = Object.fromEntries(COVERAGE_STATUSES.map((s) => [s, emptySeverityCounts()])) as Record<
    CoverageStatus,
    SeverityCounts
  >;
  return {
    rows: 0,
    byStatus: emptyStatusCounts(),
    bySeverity: emptySeverityCounts(),
    byStatusAndSeverity,
    coveragePercent: null,
    shieldablePercent: null,
  };
}

export function addRowToCounts(counts: CoverageCounts, row: Pick<CoverageRow, "coverage" | "severity">): void {
  counts.rows++;
  counts.byStatus[row.coverage]++;
  counts.bySeverity[row.severity]++;
  counts.byStatusAndSeverity[row.coverage][row.severity]++;
}

export function finalizeCounts(counts: CoverageCounts): CoverageCounts {
  const shieldable = counts.rows - counts.byStatus["no-rule"] - counts.byStatus["no-tenant"];
  counts.coveragePercent = percent(counts.byStatus.protected, counts.rows);
  counts.shieldablePercent = percent(counts.byStatus.protected, shieldable);
  return counts;
}

export function countCoverage(rows: Iterable<Pick<CoverageRow, "coverage" | "severity">>): CoverageCounts {
  const counts = emptyCoverageCounts();
  for (const row of rows) addRowToCounts(counts, row);
  return finalizeCounts(counts);
}

export function mergeCounts(target: CoverageCounts, source: CoverageCounts): CoverageCounts {
  target.rows += source.rows;
  for (const status of COVERAGE_STATUSES) {
    target.byStatus[status] += source.byStatus[status];
    for (const severity of SEVERITIES)
      target.byStatusAndSeverity[status][severity] += source.byStatusAndSeverity[status][severity];
  }
  for (const severity of SEVERITIES) target.bySeverity[severity] += source.bySeverity[severity];
  return finalizeCounts(target);
}

export function emptyFindingCounts(): FindingCounts {
  return { total: 0, coverage: 0, active: 0, suppressed: 0, closed: 0, otherTypes: 0, otherResources: 0 };
}

export function addFindingToCounts(counts: FindingCounts, finding: Finding): void {
  counts.total++;
  if (isCoverageFinding(finding)) counts.coverage++;
  if (finding.status === "ACTIVE") counts.active++;
  else if (finding.status === "SUPPRESSED") counts.suppressed++;
  else counts.closed++;
  if (finding.type !== "PACKAGE_VULNERABILITY") counts.otherTypes++;
  if (finding.resourceType !== "AWS_EC2_INSTANCE") counts.otherResources++;
}

export function mergeFindingCounts(target: FindingCounts, source: FindingCounts): FindingCounts {
  for (const key of Object.keys(target) as (keyof FindingCounts)[]) target[key] += source[key];
  return target;
}

/** part ÷ whole in percent with one decimal; null when the whole is empty. */
export function percent(part: number, whole: number): number | null {
  return whole <= 0 ? null : Math.round((part / whole) * 1000) / 10;
}
