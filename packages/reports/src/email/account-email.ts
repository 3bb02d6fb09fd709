import {
  COVERAGE_STATUSES,
  FIX_FOR_STATUS,
  type AccountCoverage,
  type CoverageCounts,
  type ReportInsights,
} from "@wshub/core";
import type { ReportMeta } from "../meta.js";
import { formatPercent } from "../status-text.js";
import { composeMessage, type ComposedEmail, type Mailbox } from "./compose.js";
import { deliveryText, type Delivery } from "./delivery.js";
import { escapeHtml, htmlDocument, htmlTable } from "./html.js";
import { insightsHtml, insightsText, type EmailTopRow } from "./insights-summary.js";

export type AccountIdentity = Pick<AccountCoverage, "accountId" | "accountName" | "ouPath" | "tenant">;

export interface AccountEmailBase {
  from: Mailbox;
  to: readonly Mailbox[];
  account: AccountIdentity;
  counts: CoverageCounts;
  meta: ReportMeta;
  /** Shown in the body when known. */
  instancesWithoutAgent?: number;
  /** KPIs and the first rows to shield (EMAIL_TOP_ROWS), shown after the status table when given. */
  insights?: ReportInsights;
  top?: readonly EmailTopRow[];
}

/** e.g. `IPS coverage: payments-prod (333333333333), week 2026-W48` */
export function accountReportSubject(
  account: Pick<AccountIdentity, "accountId" | "accountName">,
  week: string,
): string {
  const name = account.accountName.trim() === "" ? account.accountId : account.accountName;
  return `IPS coverage: ${name} (${account.accountId}), week ${week}`;
}

/** The account report: its files attached, or presigned links to them when the message would pass SES's size limit. */
export async function composeAccountEmail(input: AccountEmailBase, delivery: Delivery): Promise<ComposedEmail> {
  const subject = accountReportSubject(input.account, input.meta.week);
  const files = deliveryText(delivery);
  return composeMessage({
    from: input.from,
    to: input.to,
    subject,
    html: htmlDocument(subject, `${accountHtml(input, subject)}${files.html}`),
    text: `${accountText(input, subject)}\n\n${files.text}\n`,
    attachments: files.attachments,
  });
}

function statusRows(counts: CoverageCounts): (string | number)[][] {
  const rows: (string | number)[][] = COVERAGE_STATUSES.map((status) => [
    status,
    counts.byStatus[status],
    FIX_FOR_STATUS[status] || "nothing to do",
  ]);
  rows.push(["total", counts.rows, ""]);
  return rows;
}

function headline(counts: CoverageCounts): string {
  return (
    `Coverage: ${formatPercent(counts.coveragePercent)} of ${counts.rows} vulnerability rows are protected by ` +
    `Workload Security IPS (of the rows IPS could shield: ${formatPercent(counts.shieldablePercent)}).`
  );
}

function identityLines(input: AccountEmailBase): [string, string][] {
  const lines: [string, string][] = [
    ["Account", `${input.account.accountName} (${input.account.accountId})`],
    ["OU path", input.account.ouPath],
    ["Tenant", input.account.tenant ?? "none: the account maps to no Workload Security tenant"],
    ["Week", input.meta.week],
    ["Run", input.meta.runId],
  ];
  if (input.instancesWithoutAgent !== undefined)
    lines.push(["Instances without agent", String(input.instancesWithoutAgent)]);
  return lines;
}

function accountHtml(input: AccountEmailBase, subject: string): string {
  const identity = identityLines(input)
    .map(([label, value]) => `${escapeHtml(label)}: ${escapeHtml(value)}`)
    .join("<br>");
  return (
    `<h2>${escapeHtml(subject)}</h2><p>${identity}</p><p><b>${escapeHtml(headline(input.counts))}</b></p>` +
    htmlTable(["Status", "Rows", "What would fix it"], statusRows(input.counts), true) +
    (input.insights ? insightsHtml(input.insights, input.top ?? [], false) : "")
  );
}

function accountText(input: AccountEmailBase, subject: string): string {
  const identity = identityLines(input).map(([label, value]) => `${label}: ${value}`);
  const table = statusRows(input.counts).map(
    ([status, rows, fix]) => `  ${String(status).padEnd(15)} ${String(rows).padStart(8)}  ${fix}`,
  );
  const insights = input.insights ? ["", insightsText(input.insights, input.top ?? [], false)] : [];
  return [subject, "", ...identity, "", headline(input.counts), "", ...table, ...insights].join("\n");
}
