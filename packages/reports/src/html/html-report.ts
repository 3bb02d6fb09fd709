import { writeFile } from "node:fs/promises";
import {
  kpiCoveragePercent,
  projectedCoveragePercent,
  shieldStats,
  type AccountCoverage,
  type AccountRunRecord,
  type CoverageCounts,
  type OrganizationInsights,
  type ReportInsights,
  type RunRecord,
} from "@wshub/core";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { escapeHtml } from "../email/html.js";
import { formatDays } from "../insights-text.js";
import type { ReportMeta } from "../meta.js";
import type { RankedRow } from "../ranked-rows.js";
import { rollupTotals } from "../rollup-workbook.js";
import { formatPercent } from "../status-text.js";
import { htmlPage } from "./document.js";
import { factsLine, kpiCards, rankedView, rowsTable, statusCountsTable, topView } from "./sections.js";
import { sortableTable, type HtmlColumn } from "./table.js";
import { trendChartSvg } from "./trend-chart.js";

/** Rows in an account's table at most: a larger account shows its first rows by priority, the CSV has them all. */
export const MAX_HTML_ROWS = 5_000;
/** Unshielded rows in the "shield first" list. */
export const TOP_HTML_ROWS = 20;

export interface AccountHtmlInput {
  coverage: AccountCoverage;
  counts: CoverageCounts;
  meta: ReportMeta;
  insights: ReportInsights;
  /** The rows in priority order (rankRows). */
  ranked: readonly RankedRow[];
}

/** One account's HTML report: KPIs, trend chart, status counts, what to shield first, every row (sortable). */
export function accountHtmlReport(input: AccountHtmlInput): string {
  const { coverage, meta, insights, ranked } = input;
  const title = `IPS coverage: ${coverage.accountName} (${coverage.accountId}), week ${meta.week}`;
  const views = ranked.map(rankedView);
  const unshielded = views.filter((row) => row.coverage !== "protected").slice(0, TOP_HTML_ROWS);
  const shown = views.slice(0, MAX_HTML_ROWS);
  const cut =
    views.length > shown.length
      ? `<p class="muted">The first ${shown.length} of ${views.length} rows by priority; the CSV has every row.</p>`
      : "";
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1>` +
      factsLine([
        ["OU path", coverage.ouPath],
        ["Tenant", coverage.tenant ?? "none"],
        ["Run", meta.runId],
        ["Evaluated", coverage.evaluatedAt],
        ["Instances without agent", String(coverage.instancesWithoutAgent.length)],
      ]) +
      `<h2>Shielding KPIs</h2>${kpiCards(insights)}` +
      `<h2>Coverage trend</h2>${trendChartSvg(insights.trend, `coverage by status over the last ${insights.trend.length} runs`)}` +
      `<h2>Rows by status</h2>${statusCountsTable(input.counts)}` +
      `<h2>Shield first</h2>${unshielded.length === 0 ? `<p>Every row is protected.</p>` : rowsTable("top-rows", unshielded, false)}` +
      `<h2>Every row, by priority</h2>${cut}${rowsTable("coverage-rows", shown, false)}`,
  );
}

export interface OrganizationHtmlInput {
  run: RunRecord;
  accounts: readonly AccountRunRecord[];
  meta: ReportMeta;
  insights: OrganizationInsights;
}

/** The organization's HTML report: KPIs, trend chart, status counts, what to shield first, every account (sortable). */
export function organizationHtmlReport(input: OrganizationHtmlInput): string {
  const { run, meta, insights } = input;
  const title = `IPS coverage: organization, week ${meta.week}`;
  const totals = rollupTotals(input.accounts);
  const top = insights.top.slice(0, TOP_HTML_ROWS).map((row, i) => topView(row, i, insights.asOf));
  const accounts = [...input.accounts].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1>` +
      factsLine([
        ["Run", `${run.runId} (${run.status})`],
        ["Accounts", `${totals.accounts} listed, ${totals.assessed} assessed`],
        ["Instances without agent", String(totals.instancesWithoutAgent)],
        ["Run errors", String(run.errors.length)],
      ]) +
      `<h2>Shielding KPIs</h2>${kpiCards(insights)}` +
      `<h2>Coverage trend</h2>${trendChartSvg(insights.trend, `organization coverage by status over the last ${insights.trend.length} runs`)}` +
      `<h2>Rows by status</h2>${statusCountsTable(totals.counts)}` +
      `<h2>Shield first</h2>${top.length === 0 ? `<p>Nothing unshielded.</p>` : rowsTable("top-rows", top, true)}` +
      `<h2>Accounts</h2>${sortableTable("accounts", accountColumns(insights), accounts)}`,
  );
}

function accountColumns(insights: OrganizationInsights): HtmlColumn<AccountRunRecord>[] {
  const change = (a: AccountRunRecord) => {
    const trend = insights.accountTrends[a.accountId] ?? [];
    const first = trend[0]?.coveragePercent;
    const last = trend[trend.length - 1]?.coveragePercent;
    return trend.length < 2 || first == null || last == null ? undefined : Math.round((last - first) * 10) / 10;
  };
  const median = (a: AccountRunRecord) =>
    a.insights ? shieldStats(a.insights.shield, insights.asOf).medianHours : undefined;
  return [
    { header: "Account", cell: (a) => a.accountId },
    { header: "Name", cell: (a) => a.accountName },
    { header: "Tenant", cell: (a) => a.tenant ?? "" },
    { header: "Assessment", cell: (a) => (a.counts ? "assessed" : a.status) },
    { header: "Rows", numeric: true, cell: (a) => a.counts?.rows },
    { header: "Coverage %", numeric: true, cell: (a) => a.counts?.coveragePercent ?? undefined },
    {
      header: "Projected %",
      numeric: true,
      cell: (a) => (a.insights ? (projectedCoveragePercent(a.insights.kpis) ?? undefined) : undefined),
    },
    { header: "Unshielded and exploitable", numeric: true, cell: (a) => a.insights?.kpis.unshieldedExploitable },
    { header: "Shieldable now", numeric: true, cell: (a) => a.insights?.kpis.shieldableNow },
    {
      header: "Time to shield (median)",
      numeric: true,
      cell: (a) => {
        const hours = median(a);
        return hours === undefined ? undefined : { html: escapeHtml(formatDays(hours)), sort: hours };
      },
    },
    { header: "Coverage change (points)", numeric: true, cell: change },
  ];
}

export async function writeHtmlReport(path: string, html: string): Promise<void> {
  try {
    await writeFile(path, html, "utf8");
  } catch (error) {
    throw new WshubError(
      ERROR_CODES.REPORT_FAILED,
      `writing HTML to ${path} failed`,
      { target: path },
      { cause: error },
    );
  }
}

/** Shown where a report has no KPI yet, e.g. a percentage over no rows. */
export function coverageHeadline(insights: ReportInsights): string {
  return `Coverage ${formatPercent(kpiCoveragePercent(insights.kpis))}, projected ${formatPercent(projectedCoveragePercent(insights.kpis))}`;
}
