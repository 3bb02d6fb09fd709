import { COVERAGE_STATUSES, type AccountRunRecord, type AuditEvent, type RunError, type RunRecord } from "@wshub/core";

/** A plain text table: columns padded, numbers right-aligned. */
export function textTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [line(cells[0] as string[]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join(
    "\n",
  );
}

const SHORT: Record<string, string> = {
  "no-tenant": "no-tenant",
  "no-agent": "no-agent",
  "no-rule": "no-rule",
  "rule-available": "rule-avail",
  inactive: "inactive",
  "detect-only": "detect",
  protected: "protected",
};

export function runSummary(run: RunRecord, accounts: AccountRunRecord[]): string {
  const rows = [...accounts]
    .sort((a, b) => a.accountId.localeCompare(b.accountId))
    .map((a) => [
      a.accountId,
      a.accountName.slice(0, 24),
      a.tenant ?? "-",
      a.status === "collected" && a.counts ? "assessed" : a.status,
      a.counts?.rows ?? 0,
      ...COVERAGE_STATUSES.map((s) => a.counts?.byStatus[s] ?? 0),
      a.counts?.coveragePercent === null || a.counts === undefined ? "-" : `${a.counts.coveragePercent}%`,
      a.email ? a.email.status : "-",
    ]);
  const table = textTable(
    [
      "account",
      "name",
      "tenant",
      "status",
      "rows",
      ...COVERAGE_STATUSES.map((s) => SHORT[s] as string),
      "covered",
      "email",
    ],
    rows,
  );
  const errors = run.errors.map(problemLine);
  const warnings = (run.warnings ?? []).map(problemLine);
  const status = warnings.length > 0 ? `${run.status} with ${warnings.length} warning(s)` : run.status;
  return [
    `run ${run.runId}: ${status} — ${run.accountsAssessed} of ${run.accountsTotal} accounts assessed, ${run.coverageRows} coverage rows, ` +
      `${run.findingsRead} findings read (${run.findingsWritten} written)`,
    "",
    table,
    ...(errors.length > 0 ? ["", `${errors.length} problem(s):`, ...errors] : []),
    ...(warnings.length > 0 ? ["", `${warnings.length} warning(s):`, ...warnings] : []),
  ].join("\n");
}

function problemLine(e: RunError): string {
  return `  ${e.scope} ${e.subject}: ${e.code}: ${firstLine(e.message)}`;
}

export function auditTable(events: AuditEvent[]): string {
  return textTable(
    ["time", "action", "tenant", "account", "instance", "target", "rules", "CVEs", "result"],
    events.map((e) => [
      e.at,
      e.action,
      e.tenant,
      e.accountId,
      e.instanceId ?? "-",
      `${e.targetKind} ${e.targetId}`,
      e.ruleIdentifiers.join(" "),
      e.cves.join(" "),
      e.reason ?? (e.answer ? `HTTP ${e.answer.status}` : ""),
    ]),
  );
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
