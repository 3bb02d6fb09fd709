import {
  COVERAGE_STATUSES,
  daysExposed,
  type AccountRunRecord,
  type CoverageCounts,
  type OrganizationInsights,
  type RunRecord,
} from "@wshub/core";
import type { ReportMeta } from "../meta.js";
import { rollupTotals } from "../rollup-workbook.js";
import { formatPercent } from "../status-text.js";
import { composeMessage, type ComposedEmail, type Mailbox } from "./compose.js";
import { deliveryText, type Delivery } from "./delivery.js";
import { escapeHtml, htmlDocument, htmlTable } from "./html.js";
import { EMAIL_TOP_ROWS, insightsHtml, insightsText, type EmailTopRow } from "./insights-summary.js";

export interface RollupEmailBase {
  from: Mailbox;
  to: readonly Mailbox[];
  run: RunRecord;
  accounts: readonly AccountRunRecord[];
  meta: ReportMeta;
  insights?: OrganizationInsights;
}

/** Accounts listed by name in the body when not assessed; the workbook lists them all. */
const MAX_LISTED_ACCOUNTS = 50;

export function rollupSubject(week: string): string {
  return `IPS coverage: organization roll-up, week ${week}`;
}

/** The organization roll-up: its files attached, or presigned links to them. */
export async function composeRollup(input: RollupEmailBase, delivery: Delivery): Promise<ComposedEmail> {
  const subject = rollupSubject(input.meta.week);
  const files = deliveryText(delivery);
  const summary = rollupSummary(input);
  return composeMessage({
    from: input.from,
    to: input.to,
    subject,
    html: htmlDocument(subject, `${summaryHtml(subject, summary)}${files.html}`),
    text: `${summaryText(subject, summary)}\n\n${files.text}\n`,
    attachments: files.attachments,
  });
}

interface RollupSummary {
  facts: [string, string][];
  counts: CoverageCounts;
  notAssessed: string[];
  notAssessedMore: number;
  insights?: OrganizationInsights;
  top: EmailTopRow[];
}

function emailTop(insights: OrganizationInsights | undefined): EmailTopRow[] {
  return (insights?.top ?? []).slice(0, EMAIL_TOP_ROWS).map((row, i) => {
    const top: EmailTopRow = { ...row, priority: i + 1 };
    const days = daysExposed(row, insights?.asOf ?? "");
    if (days !== undefined) top.daysExposed = days;
    return top;
  });
}

function rollupSummary({ run, accounts, meta, insights }: RollupEmailBase): RollupSummary {
  const totals = rollupTotals(accounts);
  const notAssessed = accounts
    .filter((account) => !account.counts)
    .map((account) => {
      const why = account.error ? `: ${account.error.message}` : "";
      return `${account.accountName} (${account.accountId}) ${account.status}${why}`;
    });
  return {
    facts: [
      ["Run", `${run.runId} (${run.status})`],
      ["Week", meta.week],
      [
        "Accounts",
        `${totals.accounts} listed, ${totals.assessed} assessed, ${totals.accounts - totals.assessed} not assessed`,
      ],
      ["Run errors", String(run.errors.length)],
      ["Run warnings", String(run.warnings?.length ?? 0)],
      ["Instances without agent", String(totals.instancesWithoutAgent)],
    ],
    counts: totals.counts,
    notAssessed: notAssessed.slice(0, MAX_LISTED_ACCOUNTS),
    notAssessedMore: Math.max(0, notAssessed.length - MAX_LISTED_ACCOUNTS),
    ...(insights ? { insights } : {}),
    top: emailTop(insights),
  };
}

function headline(counts: CoverageCounts): string {
  return (
    `Organization coverage: ${formatPercent(counts.coveragePercent)} of ${counts.rows} vulnerability rows are ` +
    `protected (of the rows IPS could shield: ${formatPercent(counts.shieldablePercent)}).`
  );
}

function statusRows(counts: CoverageCounts): (string | number)[][] {
  return [...COVERAGE_STATUSES.map((status) => [status, counts.byStatus[status]]), ["total", counts.rows]];
}

function moreLine(summary: RollupSummary): string {
  return summary.notAssessedMore > 0 ? `and ${summary.notAssessedMore} more (see the workbook)` : "";
}

function summaryHtml(subject: string, summary: RollupSummary): string {
  const facts = summary.facts.map(([label, value]) => `${escapeHtml(label)}: ${escapeHtml(value)}`).join("<br>");
  const more = moreLine(summary);
  const list =
    summary.notAssessed.length === 0
      ? ""
      : `<p>Accounts not assessed:</p><ul>${summary.notAssessed.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}` +
        `${more ? `<li>${escapeHtml(more)}</li>` : ""}</ul>`;
  return (
    `<h2>${escapeHtml(subject)}</h2><p>${facts}</p><p><b>${escapeHtml(headline(summary.counts))}</b></p>` +
    htmlTable(["Status", "Rows"], statusRows(summary.counts), true) +
    (summary.insights ? insightsHtml(summary.insights, summary.top, true) : "") +
    list
  );
}

function summaryText(subject: string, summary: RollupSummary): string {
  const facts = summary.facts.map(([label, value]) => `${label}: ${value}`);
  const table = statusRows(summary.counts).map(
    ([status, rows]) => `  ${String(status).padEnd(15)} ${String(rows).padStart(8)}`,
  );
  const more = moreLine(summary);
  const list =
    summary.notAssessed.length === 0
      ? []
      : [
          "",
          "Accounts not assessed:",
          ...summary.notAssessed.map((line) => `- ${line}`),
          ...(more ? [`- ${more}`] : []),
        ];
  const insights = summary.insights ? ["", insightsText(summary.insights, summary.top, true)] : [];
  return [subject, "", ...facts, "", headline(summary.counts), "", ...table, ...insights, ...list].join("\n");
}
