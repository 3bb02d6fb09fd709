import { ipsRulesCell, type CoverageRow } from "@wshub/core";
import type { RankedRow } from "./ranked-rows.js";
import { listed, spaced, type Column } from "./table.js";

/**
 * The columns of the coverage CSV and of the XLSX `Coverage` sheet, in this order. The seven columns coverage.md
 * requires keep exactly their names; the order puts "what and how bad" first, then "why and what to do", then
 * the Workload Security side, then Inspector details, and the long ARN list last.
 *
 *  priority, account_id, account_name, region, instance_id, instance_name, vulnerability_id, severity,
 *  days_exposed, coverage, ips_rules, ips_rule_names, ips_rule_severities, ips_rule_cvss_scores,
 *  ips_rule_detect_only, fix, note, tenant, computer_id, computer_name, policy_id, agent_status, ips_state,
 *  effective_ips_rules, packages, finding_count, inspector_score, epss_score, fix_available, exploit_available,
 *  first_observed_at, shielded_at, shielded_by, finding_arns
 *
 * Lists: `ips_rules`, `effective_ips_rules` and `finding_arns` are space separated; `packages` ("name version")
 * and `ips_rule_names` are "; " separated. The `ips_rule_*` lists follow `ips_rules` one for one (a rule without a
 * vendor severity or CVSS score gives "-"); `ips_rule_detect_only` is "yes"/"no" per rule. Numbers: priority,
 * days_exposed, computer_id, policy_id, finding_count, inspector_score, epss_score.
 */
export const COVERAGE_COLUMNS: readonly Column<RankedRow>[] = [
  { header: "priority", width: 10, value: (row) => row.priority },
  { header: "account_id", width: 14, value: (row) => row.accountId },
  { header: "account_name", width: 24, value: (row) => row.accountName },
  { header: "region", width: 14, value: (row) => row.region },
  { header: "instance_id", width: 21, value: (row) => row.instanceId },
  { header: "instance_name", width: 24, value: (row) => row.instanceName },
  { header: "vulnerability_id", width: 18, value: (row) => row.vulnerabilityId },
  { header: "severity", width: 11, value: (row) => row.severity },
  { header: "days_exposed", width: 13, value: (row) => row.daysExposed },
  { header: "coverage", width: 15, value: (row) => row.coverage },
  { header: "ips_rules", width: 16, value: ipsRulesCell },
  { header: "ips_rule_names", width: 40, value: (row) => listed(row.coveringRules.map((rule) => rule.name)) },
  { header: "ips_rule_severities", width: 18, value: (row) => perRule(row, (rule) => rule.severity) },
  { header: "ips_rule_cvss_scores", width: 19, value: (row) => perRule(row, (rule) => rule.cvssScore) },
  { header: "ips_rule_detect_only", width: 19, value: (row) => perRule(row, (r) => (r.detectOnly ? "yes" : "no")) },
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
  { header: "epss_score", width: 11, value: (row) => row.epssScore },
  { header: "fix_available", width: 13, value: (row) => row.fixAvailable },
  { header: "exploit_available", width: 17, value: (row) => row.exploitAvailable },
  { header: "first_observed_at", width: 22, value: (row) => row.firstObservedAt },
  { header: "shielded_at", width: 22, value: (row) => row.shieldedAt },
  { header: "shielded_by", width: 11, value: (row) => row.shieldedBy },
  { header: "finding_arns", width: 60, value: (row) => spaced(row.findingArns) },
];

/** One value per covering rule, in `ips_rules` order, space separated; "-" where the rule has none; empty without rules. */
function perRule(
  row: Pick<CoverageRow, "coveringRules">,
  value: (rule: CoverageRow["coveringRules"][number]) => string | undefined,
): string {
  return spaced(row.coveringRules.map((rule) => value(rule)?.trim() || "-"));
}

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
  "shielded_at",
  "shielded_by",
  "ips_rule_severities",
  "ips_rule_cvss_scores",
  "ips_rule_detect_only",
  "finding_arns",
]);

/**
 * The account workbook's `Coverage` sheet: the columns a person reads (the account and tenant are on the Summary
 * sheet; ARNs and the other machine-oriented columns are in the CSV). Rendering a wide sheet is the most expensive part
 * of a report, so this also keeps large organizations' runs fast.
 */
export const WORKBOOK_COVERAGE_COLUMNS: readonly Column<RankedRow>[] = COVERAGE_COLUMNS.filter(
  (column) => !CSV_ONLY.has(column.header),
);
