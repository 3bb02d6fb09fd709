import type { ReportInsights } from "@wshub/core";
import { kpiLines } from "../insights-text.js";
import { escapeHtml, htmlTable } from "./html.js";

/** Rows in the e-mail's "shield first" table. */
export const EMAIL_TOP_ROWS = 5;

/** A row of the e-mail's "shield first" table. */
export interface EmailTopRow {
  priority: number;
  accountId?: string;
  instanceId: string;
  vulnerabilityId: string;
  severity: string;
  coverage: string;
  exploitAvailable?: string;
  epssScore?: number;
  daysExposed?: number;
  fix: string;
}

const HEADERS = ["#", "Instance", "Vulnerability", "Severity", "Status", "Exploit", "EPSS", "Days exposed", "Fix"];

function cells(row: EmailTopRow, withAccount: boolean): (string | number)[] {
  const values: (string | number)[] = [
    row.priority,
    row.instanceId,
    row.vulnerabilityId,
    row.severity,
    row.coverage,
    row.exploitAvailable ?? "",
    row.epssScore ?? "",
    row.daysExposed ?? "",
    row.fix,
  ];
  if (withAccount) values.splice(1, 0, row.accountId ?? "");
  return values;
}

function headers(withAccount: boolean): string[] {
  return withAccount ? [HEADERS[0] as string, "Account", ...HEADERS.slice(1)] : HEADERS;
}

/** The KPIs and the first rows to shield, as HTML tables (everything escaped by htmlTable). */
export function insightsHtml(insights: ReportInsights, top: readonly EmailTopRow[], withAccount: boolean): string {
  const kpis = htmlTable(
    ["KPI", "Value", "What it means"],
    kpiLines(insights).map((kpi) => [kpi.label, kpi.text, kpi.help]),
  );
  const first =
    top.length === 0
      ? `<p>${escapeHtml("Nothing to shield: every row is protected.")}</p>`
      : htmlTable(
          headers(withAccount),
          top.map((row) => cells(row, withAccount)),
        );
  return `<h3>Shielding KPIs</h3>${kpis}<h3>Shield first (top ${top.length} by priority)</h3>${first}`;
}

export function insightsText(insights: ReportInsights, top: readonly EmailTopRow[], withAccount: boolean): string {
  const kpis = kpiLines(insights).map((kpi) => `  ${kpi.label.padEnd(32)} ${kpi.text}`);
  const first = top.map((row) => `  ${cells(row, withAccount).join(" | ")}`);
  return [
    "Shielding KPIs:",
    ...kpis,
    "",
    `Shield first (top ${top.length} by priority):`,
    ...(first.length > 0 ? first : ["  nothing: every row is protected"]),
  ].join("\n");
}
