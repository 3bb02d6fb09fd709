import {
  COVERAGE_STATUSES,
  daysExposed,
  type CoverageCounts,
  type CoverageStatus,
  type ReportInsights,
  type TopRow,
} from "@wshub/core";
import { escapeHtml } from "../email/html.js";
import { kpiLines } from "../insights-text.js";
import type { RankedRow } from "../ranked-rows.js";
import { STATUS_MEANING } from "../status-text.js";
import { plainTable, sortableTable, type HtmlColumn } from "./table.js";
import { STATUS_COLORS } from "./trend-chart.js";

/** A row as the HTML tables show it: an account's ranked rows and the organization's top rows alike. */
export interface RowView {
  priority?: number;
  accountId: string;
  accountName: string;
  instanceId: string;
  instanceName?: string;
  vulnerabilityId: string;
  severity: string;
  coverage: CoverageStatus;
  exploitAvailable?: string;
  epssScore?: number;
  inspectorScore?: number;
  daysExposed?: number;
  rules: { identifier: string; name: string }[];
  fix: string;
}

export function rankedView(row: RankedRow): RowView {
  return { ...row, rules: row.coveringRules };
}

export function topView(row: TopRow, index: number, asOf: string): RowView {
  const view: RowView = {
    ...row,
    priority: index + 1,
    rules: row.ruleIdentifiers.map((identifier, i) => ({ identifier, name: row.ruleNames[i] ?? "" })),
  };
  const days = daysExposed(row, asOf);
  if (days !== undefined) view.daysExposed = days;
  return view;
}

export function statusBadge(status: CoverageStatus): { html: string; sort: string } {
  return {
    html: `<span class="status" style="background:${STATUS_COLORS[status]}" title="${escapeHtml(STATUS_MEANING[status])}">${escapeHtml(status)}</span>`,
    sort: status,
  };
}

const ROW_COLUMNS: readonly HtmlColumn<RowView>[] = [
  { header: "Priority", numeric: true, cell: (r) => r.priority },
  {
    header: "Instance",
    cell: (r) => ({
      html: `<span class="id">${escapeHtml(r.instanceId)}</span>${r.instanceName ? `<br><small>${escapeHtml(r.instanceName)}</small>` : ""}`,
    }),
  },
  { header: "Vulnerability", cell: (r) => r.vulnerabilityId },
  { header: "Severity", cell: (r) => r.severity },
  { header: "Status", cell: (r) => statusBadge(r.coverage) },
  { header: "Exploit", cell: (r) => r.exploitAvailable },
  { header: "EPSS", numeric: true, cell: (r) => r.epssScore },
  { header: "Inspector score", numeric: true, cell: (r) => r.inspectorScore },
  { header: "Days exposed", numeric: true, cell: (r) => r.daysExposed },
  {
    header: "IPS rules",
    cell: (r) => ({
      html: r.rules.map((rule) => `${escapeHtml(rule.identifier)} ${escapeHtml(rule.name)}`).join("<br>"),
    }),
  },
  { header: "What would fix it", cell: (r) => r.fix },
];

const ACCOUNT_COLUMN: HtmlColumn<RowView> = {
  header: "Account",
  cell: (r) => ({ html: `${escapeHtml(r.accountName)}<br><small>${escapeHtml(r.accountId)}</small>` }),
};

/** The rows table: sortable, with a filter box; `withAccount` adds the account (organization lists). */
export function rowsTable(id: string, rows: readonly RowView[], withAccount: boolean): string {
  const columns = withAccount
    ? [ROW_COLUMNS[0] as HtmlColumn<RowView>, ACCOUNT_COLUMN, ...ROW_COLUMNS.slice(1)]
    : ROW_COLUMNS;
  return (
    `<input class="filter" type="search" placeholder="Filter rows" aria-label="Filter rows" data-table="${escapeHtml(id)}">` +
    sortableTable(id, columns, rows)
  );
}

export function kpiCards(insights: ReportInsights): string {
  const cards = kpiLines(insights).map(
    (kpi) =>
      `<div class="kpi" data-kpi="${escapeHtml(kpi.key)}"><small>${escapeHtml(kpi.label)}</small><b>${escapeHtml(kpi.text)}</b><small>${escapeHtml(kpi.help)}</small></div>`,
  );
  return `<div class="kpis" id="kpis">${cards.join("")}</div>`;
}

/** Status counts (and totals); each count cell carries `data-status` so a reader (or a test) can find it. */
export function statusCountsTable(counts: CoverageCounts): string {
  const rows = COVERAGE_STATUSES.map((status) => [
    statusBadge(status),
    { html: `<span data-status-count="${status}">${counts.byStatus[status]}</span>`, sort: counts.byStatus[status] },
    STATUS_MEANING[status],
  ]);
  rows.push(["total", { html: `<span data-status-count="total">${counts.rows}</span>`, sort: counts.rows }, ""]);
  return plainTable(["Status", "Rows", "What it means"], rows, "status-counts");
}

export function factsLine(facts: readonly [string, string][]): string {
  return `<p class="facts">${facts.map(([label, value]) => `<span>${escapeHtml(label)}: <b>${escapeHtml(value)}</b></span>`).join("")}</p>`;
}
