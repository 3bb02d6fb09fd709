import type { AuditEvent } from "../audit.js";
import type { CoverageRow } from "../coverage.js";
import { normalizeVulnerabilityId } from "../vulnerability-id.js";
import { addToHistogram, histogramCount, histogramQuantile, reflectHistogram, type Histogram } from "./histogram.js";

/**
 * Time to shield (docs/insights.md): for one (account, region, instance, CVE), from Inspector's first observation to
 * the moment it first became `protected`: the earliest audited assignment (`applied`, change `ips-rules`) for that
 * instance and CVE made after the last evaluation that saw it exposed, else the evaluation that first saw it
 * protected. A row protected the first time wshub evaluated it has no known time to shield ("protected on arrival").
 */
export type ShieldedBy = NonNullable<CoverageRow["shieldedBy"]>;

export interface ShieldState {
  shieldedAt: string;
  shieldedBy: ShieldedBy;
}

export type ShieldRow = Pick<CoverageRow, "accountId" | "region" | "instanceId" | "vulnerabilityId" | "coverage"> &
  Partial<ShieldState>;

/** The previous evaluation of the same account: when, and each unit's status and shield state then. */
export interface PreviousEvaluation {
  evaluatedAt: string;
  rows: ReadonlyMap<string, ShieldRow>;
}

/** The audit fields that tell that an assignment landed (events before the `change` field count as ips-rules). */
export type AuditEvidence = Pick<AuditEvent, "action" | "at" | "accountId" | "cves"> & {
  instanceId?: string;
  change?: string;
};

export function unitKey(row: Pick<CoverageRow, "accountId" | "region" | "instanceId" | "vulnerabilityId">): string {
  return `${row.accountId}|${row.region}|${row.instanceId}|${normalizeVulnerabilityId(row.vulnerabilityId)}`;
}

export function previousEvaluation(evaluatedAt: string, rows: readonly ShieldRow[]): PreviousEvaluation {
  return { evaluatedAt, rows: new Map(rows.map((row) => [unitKey(row), row])) };
}

/** Rows that became protected since the previous evaluation saw them exposed: only these need the audit trail. */
export function newlyShielded(rows: readonly ShieldRow[], previous: PreviousEvaluation | undefined): ShieldRow[] {
  if (!previous) return [];
  return rows.filter((row) => {
    const before = previous.rows.get(unitKey(row));
    return (
      row.coverage === "protected" && before !== undefined && !before.shieldedAt && before.coverage !== "protected"
    );
  });
}

/**
 * Audit events that count as an assignment that landed: `applied` outcomes of IPS rule changes, reconciled ones
 * included (an intent whose call was found to have landed). Intents, plans and other kinds of change do not count.
 */
export function isShieldingEvent(event: AuditEvidence): boolean {
  return event.action === "applied" && (event.change ?? "ips-rules") === "ips-rules";
}

/**
 * The shield state of each row after this evaluation (undefined: not shielded, or protected on arrival). A state once
 * set is kept while the unit exists, even if the row regresses: time to shield measures the first protection.
 */
export function shieldStates(
  rows: readonly ShieldRow[],
  previous: PreviousEvaluation | undefined,
  evaluatedAt: string,
  events: readonly AuditEvidence[],
): (ShieldState | undefined)[] {
  const firstApplied = earliestApplied(events, previous?.evaluatedAt, evaluatedAt);
  return rows.map((row) => {
    const before = previous?.rows.get(unitKey(row));
    if (before?.shieldedAt) return { shieldedAt: before.shieldedAt, shieldedBy: before.shieldedBy ?? "run" };
    if (row.coverage !== "protected" || !before || before.coverage === "protected") return undefined;
    const applied = firstApplied.get(
      `${row.accountId}|${row.instanceId}|${normalizeVulnerabilityId(row.vulnerabilityId)}`,
    );
    return applied ? { shieldedAt: applied, shieldedBy: "assignment" } : { shieldedAt: evaluatedAt, shieldedBy: "run" };
  });
}

/** account|instance|CVE → the earliest shielding event in (since, until]. */
function earliestApplied(
  events: readonly AuditEvidence[],
  since: string | undefined,
  until: string,
): Map<string, string> {
  const earliest = new Map<string, string>();
  for (const event of events) {
    if (!isShieldingEvent(event) || !event.instanceId) continue;
    if ((since !== undefined && event.at <= since) || event.at > until) continue;
    for (const cve of event.cves) {
      const key = `${event.accountId}|${event.instanceId}|${normalizeVulnerabilityId(cve)}`;
      const known = earliest.get(key);
      if (known === undefined || event.at < known) earliest.set(key, event.at);
    }
  }
  return earliest;
}

/** What an account stores of its rows' time to shield; additive across accounts. */
export interface ShieldSummary {
  /** Protected rows with a known time to shield: whole hours from first observation to shielding. */
  shieldedHours: Histogram;
  /** Rows not protected: the hour (since the epoch) of their first observation, so their age is known at any instant. */
  openSinceHours: Histogram;
  /** Protected rows wshub never saw exposed: no time to shield is known. */
  protectedOnArrival: number;
  /** Rows Inspector gave no first observation for (in neither histogram). */
  withoutFirstObservation: number;
}

const HOUR_MS = 3_600_000;

export function emptyShieldSummary(): ShieldSummary {
  return { shieldedHours: {}, openSinceHours: {}, protectedOnArrival: 0, withoutFirstObservation: 0 };
}

export function addRowToShieldSummary(
  summary: ShieldSummary,
  row: Pick<CoverageRow, "coverage" | "firstObservedAt"> & Partial<ShieldState>,
): void {
  const first = row.firstObservedAt ? Date.parse(row.firstObservedAt) : Number.NaN;
  if (row.coverage === "protected" && !row.shieldedAt) summary.protectedOnArrival++;
  else if (!Number.isFinite(first)) summary.withoutFirstObservation++;
  else if (row.coverage === "protected" && row.shieldedAt)
    addToHistogram(summary.shieldedHours, Math.max(0, Math.floor((Date.parse(row.shieldedAt) - first) / HOUR_MS)));
  else addToHistogram(summary.openSinceHours, Math.floor(first / HOUR_MS));
}

export interface ShieldStats {
  shielded: number;
  medianHours?: number;
  p90Hours?: number;
  open: number;
  medianOpenHours?: number;
  p90OpenHours?: number;
  oldestOpenHours?: number;
  protectedOnArrival: number;
}

/** Median and p90 (nearest rank) of the time to shield, and of the open rows' ages at `asOf`. */
export function shieldStats(summary: ShieldSummary, asOf: string): ShieldStats {
  const ages = reflectHistogram(summary.openSinceHours, Math.floor(Date.parse(asOf) / HOUR_MS));
  return {
    shielded: histogramCount(summary.shieldedHours),
    medianHours: histogramQuantile(summary.shieldedHours, 0.5),
    p90Hours: histogramQuantile(summary.shieldedHours, 0.9),
    open: histogramCount(ages),
    medianOpenHours: histogramQuantile(ages, 0.5),
    p90OpenHours: histogramQuantile(ages, 0.9),
    oldestOpenHours: histogramQuantile(ages, 1),
    protectedOnArrival: summary.protectedOnArrival,
  };
}
