import type { ComplianceRow, ManagedGroupRef, WafRow } from "@wshub/core";
import { writeCsv, type CsvOptions, type ReportTarget, type WriteResult } from "./csv-writer.js";
import { listed, spaced, type Column } from "./table.js";
import { writeTableSheet, type WorkbookWriter } from "./xlsx-writer.js";

export const WAF_SHEET = "WAF";
export const COMPLIANCE_SHEET = "Compliance";

const groups = (list: readonly ManagedGroupRef[]) => listed(list.map((g) => `${g.vendorName}:${g.name}`));

/**
 * The WAF check's rows (flagged first): each ALB and CloudFront distribution, its WebACL, the protected instances
 * behind it, their class, and the managed rule groups present, recommended and missing. Shared by the sheet and CSV.
 */
export const WAF_COLUMNS: readonly Column<WafRow>[] = [
  { header: "flagged", width: 8, value: (r) => (r.flagged ? "yes" : "") },
  { header: "status", width: 20, value: (r) => r.status },
  { header: "account_id", width: 14, value: (r) => r.accountId },
  { header: "region", width: 12, value: (r) => r.region },
  { header: "resource_kind", width: 11, value: (r) => r.resourceKind },
  { header: "resource_name", width: 28, value: (r) => r.resourceName },
  { header: "resource_arn", width: 50, value: (r) => r.resourceArn },
  { header: "internet_facing", width: 9, value: (r) => (r.internetFacing ? "yes" : "no") },
  { header: "webacl_kind", width: 10, value: (r) => r.webAclKind },
  { header: "webacl", width: 50, value: (r) => r.webAcl },
  { header: "instances", width: 30, value: (r) => spaced(r.instanceIds) },
  { header: "protected_instances", width: 30, value: (r) => spaced(r.protectedInstanceIds) },
  { header: "ws_policies", width: 24, value: (r) => listed(r.policies) },
  { header: "classes", width: 24, value: (r) => spaced(r.classes) },
  { header: "present_groups", width: 40, value: (r) => groups(r.presentGroups) },
  { header: "recommended_groups", width: 40, value: (r) => groups(r.recommendedGroups) },
  { header: "missing_groups", width: 40, value: (r) => groups(r.missingGroups) },
  { header: "unavailable_groups", width: 30, value: (r) => groups(r.unavailableGroups) },
  { header: "reason", width: 50, value: (r) => r.reason },
];

/** The Config rules' results per instance and rule (non-compliant first). */
export const COMPLIANCE_COLUMNS: readonly Column<ComplianceRow>[] = [
  { header: "account_id", width: 14, value: (r) => r.accountId },
  { header: "region", width: 12, value: (r) => r.region },
  { header: "instance_id", width: 21, value: (r) => r.resourceId },
  { header: "rule", width: 30, value: (r) => r.rule },
  { header: "compliance", width: 15, value: (r) => r.compliance },
  { header: "annotation", width: 60, value: (r) => r.annotation },
  { header: "tenant", width: 16, value: (r) => r.tenant },
  { header: "evaluated_at", width: 22, value: (r) => r.orderingTimestamp },
];

const COMPLIANCE_ORDER = ["NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"];

export function sortedCompliance(rows: readonly ComplianceRow[]): ComplianceRow[] {
  const rank = (r: ComplianceRow) => COMPLIANCE_ORDER.indexOf(r.compliance);
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || a.resourceId.localeCompare(b.resourceId) || a.rule.localeCompare(b.rule),
  );
}

export function writeWafSheet(workbook: WorkbookWriter, rows: readonly WafRow[]): Promise<number> {
  return writeTableSheet(workbook, WAF_SHEET, WAF_COLUMNS, rows);
}

export function writeComplianceSheet(workbook: WorkbookWriter, rows: readonly ComplianceRow[]): Promise<number> {
  return writeTableSheet(workbook, COMPLIANCE_SHEET, COMPLIANCE_COLUMNS, sortedCompliance(rows));
}

/** `waf.csv`: the same columns as the sheet, streamed (csv-stringify). */
export function writeWafCsv(
  target: ReportTarget,
  rows: readonly WafRow[],
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, WAF_COLUMNS, rows, options);
}

/** `compliance.csv`: the same columns as the sheet. */
export function writeComplianceCsv(
  target: ReportTarget,
  rows: readonly ComplianceRow[],
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, COMPLIANCE_COLUMNS, sortedCompliance(rows), options);
}
