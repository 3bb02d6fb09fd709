import type { CoverageRow } from "../coverage.js";
import { digest } from "../fingerprint.js";
import { normalizeVulnerabilityId } from "../vulnerability-id.js";

/**
 * What wshub hands Security Hub (docs/insights.md): one finding per (account, region, instance, CVE), its Id derived
 * from that key (so it is never duplicated), ACTIVE while the row is not `protected`, ARCHIVED (resolved) once it is
 * or once the row is gone (finding closed, instance gone). Only what changed is imported, plus a refresh of active
 * findings that would otherwise age out.
 */
export type ExportState = "ACTIVE" | "ARCHIVED";

/** The fields a finding is built from; kept in the ledger so a finding can be resolved after its row is gone. */
export type ExportRow = Pick<
  CoverageRow,
  | "accountId"
  | "accountName"
  | "region"
  | "instanceId"
  | "instanceName"
  | "vulnerabilityId"
  | "severity"
  | "coverage"
  | "note"
  | "fix"
  | "firstObservedAt"
  | "exploitAvailable"
  | "epssScore"
  | "inspectorScore"
  | "fixAvailable"
> & { ruleIdentifiers: string[]; ruleNames: string[] };

export interface ExportedFinding {
  state: ExportState;
  /** Digest of what was imported (state included). */
  digest: string;
  importedAt: string;
  row: ExportRow;
}

/** Finding key → what was last imported, per account. */
export type ExportLedger = Record<string, ExportedFinding>;

export interface ExportChange {
  key: string;
  state: ExportState;
  row: ExportRow;
  /** created · updated (content changed) · refreshed (unchanged, re-imported before aging out) · resolved */
  reason: "created" | "updated" | "refreshed" | "resolved" | "reopened";
}

/** Resolved findings stay in the ledger this long (Security Hub deletes findings 90 days after their last update). */
const ARCHIVED_KEPT_DAYS = 90;
const DAY_MS = 86_400_000;

export function securityHubFindingKey(
  row: Pick<CoverageRow, "accountId" | "region" | "instanceId" | "vulnerabilityId">,
): string {
  return `wshub/ips-coverage/${row.accountId}/${row.region}/${row.instanceId}/${normalizeVulnerabilityId(row.vulnerabilityId)}`;
}

export function exportRow(row: CoverageRow): ExportRow {
  const out: ExportRow = {
    accountId: row.accountId,
    accountName: row.accountName,
    region: row.region,
    instanceId: row.instanceId,
    vulnerabilityId: row.vulnerabilityId,
    severity: row.severity,
    coverage: row.coverage,
    note: row.note,
    fix: row.fix,
    ruleIdentifiers: row.coveringRules.map((rule) => rule.identifier),
    ruleNames: row.coveringRules.map((rule) => rule.name),
  };
  for (const key of [
    "instanceName",
    "firstObservedAt",
    "exploitAvailable",
    "epssScore",
    "inspectorScore",
    "fixAvailable",
  ] as const)
    if (row[key] !== undefined) Object.assign(out, { [key]: row[key] });
  return out;
}

function contentDigest(state: ExportState, row: ExportRow): string {
  return digest(JSON.stringify([state, row]));
}

/** The imports this run needs for one account, from its rows and its ledger. */
export function planSecurityHubExport(
  rows: readonly CoverageRow[],
  ledger: ExportLedger,
  now: string,
  refreshDays: number,
): ExportChange[] {
  const changes: ExportChange[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = securityHubFindingKey(row);
    seen.add(key);
    const known = ledger[key];
    const state: ExportState = row.coverage === "protected" ? "ARCHIVED" : "ACTIVE";
    if (state === "ARCHIVED" && known?.state !== "ACTIVE") continue;
    const content = exportRow(row);
    if (known && known.state === state && known.digest === contentDigest(state, content)) {
      if (state === "ACTIVE" && ageDays(known.importedAt, now) >= refreshDays)
        changes.push({ key, state, row: content, reason: "refreshed" });
      continue;
    }
    changes.push({ key, state, row: content, reason: reasonOf(known, state) });
  }
  for (const [key, known] of Object.entries(ledger))
    if (!seen.has(key) && known.state === "ACTIVE")
      changes.push({ key, state: "ARCHIVED", row: known.row, reason: "resolved" });
  return changes;
}

function reasonOf(known: ExportedFinding | undefined, state: ExportState): ExportChange["reason"] {
  if (state === "ARCHIVED") return "resolved";
  if (!known) return "created";
  return known.state === "ARCHIVED" ? "reopened" : "updated";
}

/** The ledger after the imports that succeeded; resolved findings older than 90 days are forgotten. */
export function nextExportLedger(ledger: ExportLedger, imported: readonly ExportChange[], now: string): ExportLedger {
  const next: ExportLedger = {};
  for (const [key, known] of Object.entries(ledger))
    if (known.state === "ACTIVE" || ageDays(known.importedAt, now) < ARCHIVED_KEPT_DAYS) next[key] = known;
  for (const change of imported)
    next[change.key] = {
      state: change.state,
      digest: contentDigest(change.state, change.row),
      importedAt: now,
      row: change.row,
    };
  return next;
}

function ageDays(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY_MS;
}
