import {
  countCoverage,
  type AccountCoverage,
  type AccountSections,
  type AuditEvent,
  type CoverageCounts,
  type CoveredInstance,
  type ReportInsights,
} from "@wshub/core";
import { writeSummarySheet } from "./account-summary-sheet.js";
import { writeAssignmentSheet } from "./assignment-report.js";
import { WORKBOOK_COVERAGE_COLUMNS } from "./coverage-columns.js";
import type { ReportTarget, WriteResult } from "./csv-writer.js";
import type { ReportMeta } from "./meta.js";
import { rankRows, type RankedRow } from "./ranked-rows.js";
import type { Column } from "./table.js";
import { writeComplianceSheet, writeWafSheet } from "./waf-report.js";
import { commitWorkbook, openWorkbook, writeTableSheet } from "./xlsx-writer.js";

export const ACCOUNT_SHEETS = { summary: "Summary", coverage: "Coverage", noAgent: "No agent" } as const;

export interface AccountWorkbookInput {
  coverage: AccountCoverage;
  meta: ReportMeta;
  /** Computed from the rows when absent. */
  counts?: CoverageCounts;
  /** When given (even empty), an `Assignments` sheet follows the others. */
  assignmentEvents?: readonly AuditEvent[];
  insights?: ReportInsights;
  /** The rows already ranked (the renderer ranks once for every file); ranked here when absent. */
  ranked?: readonly RankedRow[];
  /** When given, a `WAF` sheet (the WAF check ran) and a `Compliance` sheet (the Config rules ran) follow. */
  sections?: AccountSections;
}

interface InstanceWithoutAgent extends CoveredInstance {
  coverageRows: number;
}

const NO_AGENT_COLUMNS: readonly Column<InstanceWithoutAgent>[] = [
  { header: "instance_id", width: 21, value: (instance) => instance.instanceId },
  { header: "instance_name", width: 28, value: (instance) => instance.name },
  { header: "region", width: 14, value: (instance) => instance.region },
  { header: "state", width: 12, value: (instance) => instance.state },
  { header: "scan_status", width: 14, value: (instance) => instance.scanStatus },
  { header: "scan_status_reason", width: 30, value: (instance) => instance.scanStatusReason },
  { header: "coverage_rows", width: 14, value: (instance) => instance.coverageRows },
];

/**
 * One account's workbook: `Summary`, `Coverage` (every row, in priority order), `No agent` [, `Assignments`]
 * [, `WAF`] [, `Compliance`], streamed.
 */
export async function writeAccountWorkbook(target: ReportTarget, input: AccountWorkbookInput): Promise<WriteResult> {
  const { coverage, meta } = input;
  const counts = input.counts ?? countCoverage(coverage.rows);
  const workbook = openWorkbook(target);
  writeSummarySheet(workbook, { coverage, counts, meta, ...(input.insights ? { insights: input.insights } : {}) });
  const ranked = input.ranked ?? rankRows(coverage.rows, input.insights?.asOf ?? meta.generatedAt);
  const rows = await writeTableSheet(workbook, ACCOUNT_SHEETS.coverage, WORKBOOK_COVERAGE_COLUMNS, ranked);
  await writeTableSheet(workbook, ACCOUNT_SHEETS.noAgent, NO_AGENT_COLUMNS, withRowCounts(coverage));
  if (input.assignmentEvents) await writeAssignmentSheet(workbook, input.assignmentEvents);
  if (input.sections?.waf) await writeWafSheet(workbook, input.sections.waf);
  if (input.sections?.compliance) await writeComplianceSheet(workbook, input.sections.compliance);
  await commitWorkbook(workbook, target);
  return { rows };
}

function withRowCounts(coverage: AccountCoverage): InstanceWithoutAgent[] {
  const rowsByInstance = new Map<string, number>();
  for (const row of coverage.rows) rowsByInstance.set(row.instanceId, (rowsByInstance.get(row.instanceId) ?? 0) + 1);
  return coverage.instancesWithoutAgent.map((instance) => ({
    ...instance,
    coverageRows: rowsByInstance.get(instance.instanceId) ?? 0,
  }));
}
