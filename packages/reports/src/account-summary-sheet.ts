import {
  COVERAGE_STATUSES,
  SEVERITIES,
  type AccountCoverage,
  type CoverageCounts,
  type FindingCounts,
  type ReportInsights,
} from "@wshub/core";
import { writeInsightsRows } from "./insights-sheet.js";
import type { ReportMeta } from "./meta.js";
import { statusExplanation } from "./status-text.js";
import { writeTextRow, type SheetWriter, type WorkbookWriter } from "./xlsx-writer.js";

export interface AccountSummary {
  coverage: Omit<AccountCoverage, "rows">;
  counts: CoverageCounts;
  meta: ReportMeta;
  /** KPIs, time to shield and the trend; absent: the sheet has none of them. */
  insights?: ReportInsights;
}

/**
 * The `Summary` sheet: who and when, the status × severity table with totals, the percentages, the shielding KPIs
 * and the trend, Inspector's finding counts and one line per status. Labels are in column A, numbers are written as numbers.
 */
export function writeSummarySheet(workbook: WorkbookWriter, summary: AccountSummary): void {
  const sheet = workbook.addWorksheet("Summary");
  sheet.columns = [{ width: 52 }, ...SEVERITIES.map(() => ({ width: 14 })), { width: 12 }];
  writeTextRow(sheet, ["IPS coverage report"], { bold: true });
  writeIdentity(sheet, summary);
  writeTextRow(sheet, []);
  writeCountsTable(sheet, summary.counts);
  writeTextRow(sheet, []);
  writePercentages(sheet, summary);
  writeTextRow(sheet, []);
  if (summary.insights) {
    writeInsightsRows(sheet, summary.insights);
    writeTextRow(sheet, []);
  }
  writeFindingCounts(sheet, summary.coverage.findingCounts);
  writeTextRow(sheet, []);
  writeStatusLines(sheet);
  sheet.commit();
}

function writeIdentity(sheet: SheetWriter, { coverage, meta }: AccountSummary): void {
  writeTextRow(sheet, ["Account id", coverage.accountId]);
  writeTextRow(sheet, ["Account name", coverage.accountName]);
  writeTextRow(sheet, ["OU path", coverage.ouPath]);
  writeTextRow(sheet, ["Tenant", coverage.tenant ?? "(none: the account maps to no tenant)"]);
  writeTextRow(sheet, ["Week", meta.week]);
  writeTextRow(sheet, ["Run id", meta.runId]);
  writeTextRow(sheet, ["Generated at", meta.generatedAt]);
  // A report may reuse an unchanged account's coverage from an earlier run: say which.
  writeTextRow(sheet, ["Coverage evaluated at", coverage.evaluatedAt]);
  if (coverage.runId !== meta.runId) writeTextRow(sheet, ["Coverage from run", coverage.runId]);
}

function writeCountsTable(sheet: SheetWriter, counts: CoverageCounts): void {
  writeTextRow(sheet, ["Coverage rows by status and severity"], { bold: true });
  writeTextRow(sheet, ["Status", ...SEVERITIES, "Total"], { bold: true });
  for (const status of COVERAGE_STATUSES) {
    const bySeverity = counts.byStatusAndSeverity[status];
    writeTextRow(sheet, [status, ...SEVERITIES.map((severity) => bySeverity[severity]), counts.byStatus[status]]);
  }
  writeTextRow(sheet, ["Total", ...SEVERITIES.map((severity) => counts.bySeverity[severity]), counts.rows], {
    bold: true,
  });
}

function writePercentages(sheet: SheetWriter, { coverage, counts }: AccountSummary): void {
  writeTextRow(sheet, ["Coverage (%): protected ÷ all rows", counts.coveragePercent ?? "n/a"]);
  writeTextRow(sheet, [
    "Shieldable coverage (%): protected ÷ rows IPS could shield (all but no-rule and no-tenant)",
    counts.shieldablePercent ?? "n/a",
  ]);
  writeTextRow(sheet, ["Instances without agent", coverage.instancesWithoutAgent.length]);
}

function writeFindingCounts(sheet: SheetWriter, findings: FindingCounts): void {
  writeTextRow(sheet, ["Inspector findings"], { bold: true });
  writeTextRow(sheet, ["All findings stored for the account", findings.total]);
  writeTextRow(sheet, ["Coverage findings (active EC2 package vulnerabilities)", findings.coverage]);
  writeTextRow(sheet, ["Active", findings.active]);
  writeTextRow(sheet, ["Suppressed", findings.suppressed]);
  writeTextRow(sheet, ["Closed", findings.closed]);
  writeTextRow(sheet, ["Other finding types (network reachability, code)", findings.otherTypes]);
  writeTextRow(sheet, ["Other resource types (ECR images, Lambda functions)", findings.otherResources]);
}

function writeStatusLines(sheet: SheetWriter): void {
  writeTextRow(sheet, ["What the statuses mean"], { bold: true });
  for (const status of COVERAGE_STATUSES) writeTextRow(sheet, [status, statusExplanation(status)]);
}
