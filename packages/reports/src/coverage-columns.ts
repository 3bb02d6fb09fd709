import { ipsRulesCell, type CoverageRow } from "@wshub/core";
import { listed, spaced, type Column } from "./table.js";

/**
 * The columns of the coverage CSV and of the XLSX `Coverage` sheet, in this order. The seven columns coverage.md
 * requires keep exactly their names; the order puts "what and how bad" first, then "why and what to do", then
 * the Workload Security side, then Inspector details, and the long ARN list last.
 *
 *  account_id, account_name, region, instance_id, instance_name, vulnerability_id, severity, coverage, ips_rules,
 *  fix, note, tenant, computer_id, computer_name, policy_id, agent_status, ips_state, effective_ips_rules,
 *  packages, finding_count, inspector_score, fix_available, exploit_available, first_observed_at, finding_arns
 *
 * Lists: `ips_rules`, `effective_ips_rules` and `finding_arns` are space separated; `packages` ("name version")
 * are "; " separated. Numbers: computer_id, policy_id, finding_count, inspector_score.
 */
export const COVERAGE_COLUMNS: readonly Column<CoverageRow>[] = [
  { header: "account_id", width: 14, value: (row) => row.accountId },
  { header: "account_name", width: 24, value: (row) => row.accountName },
  { header: "region", width: 14, value: (row) => row.region },
  { header: "instance_id", width: 21, value: (row) => row.instanceId },
  { header: "instance_name", width: 24, value: (row) => row.instanceName },
  { header: "vulnerability_id", width: 18, value: (row) => row.vulnerabilityId },
  { header: "severity", width: 11, value: (row) => row.severity },
  { header: "coverage", width: 15, value: (row) => row.coverage },
  { header: "ips_rules", width: 16, value: ipsRulesCell },
  { header: "fix", width: 36, value: (row) => row.fix },
  { header: "note", width: 44, value: (row) => row.note },
  { header: "tenant", width: 16, value: (row) => row.tenant },
  { header: "computer_id", width: 12, value: (row) => row.computer?.id },
  { header: "computer_name", width: 26, value: (row) => row.computer?.name },
  { header: "policy_id", width: 10, value: (row) => row.computer?.policyId },
  { header: "agent_status", width: 13, value: (row) => row.computer?.agentStatus },
  { header: "ips_state", width: 10, value: (row) => row.computer?.ipsState },
  { header: "effective_ips_rules", width: 18, value: effectiveRulesCell },
  { header: "packages", width: 36, value: (row) => listed(row.packages) },
  { header: "finding_count", width: 13, value: (row) => row.findingArns.length },
  { header: "inspector_score", width: 15, value: (row) => row.inspectorScore },
  { header: "fix_available", width: 13, value: (row) => row.fixAvailable },
  { header: "exploit_available", width: 17, value: (row) => row.exploitAvailable },
  { header: "first_observed_at", width: 22, value: (row) => row.firstObservedAt },
  { header: "finding_arns", width: 60, value: (row) => spaced(row.findingArns) },
];

/** Identifiers of the covering rules that are among the computer's effective rules, in `ips_rules` order. */
export function effectiveRulesCell(row: Pick<CoverageRow, "coveringRules" | "effectiveRuleIds">): string {
  const effective = new Set(row.effectiveRuleIds);
  return spaced(row.coveringRules.filter((rule) => effective.has(rule.id)).map((rule) => rule.identifier));
}

/** Columns left out of the account workbook: the same in every row of one account, or for machines (the CSV has them). */
const CSV_ONLY = new Set([
  "account_id",
  "account_name",
  "tenant",
  "effective_ips_rules",
  "first_observed_at",
  "finding_arns",
]);

/**
 * The account workbook's `Coverage` sheet: the columns a person reads (the account and tenant are on the Summary
 * sheet; ARNs and the other machine-oriented columns are in the CSV). Rendering a wide sheet is the most expensive part
 * of a report, so this also keeps large organizations' runs fast.
 */
export const WORKBOOK_COVERAGE_COLUMNS: readonly Column<CoverageRow>[] = COVERAGE_COLUMNS.filter(
  (column) => !CSV_ONLY.has(column.header),
);
