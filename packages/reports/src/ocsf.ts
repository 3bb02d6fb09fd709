import { securityHubFindingKey, type Severity } from "@wshub/core";
import type { RankedRow } from "./ranked-rows.js";

/**
 * A coverage row as an OCSF Vulnerability Finding (class 2002, schema 1.1.0): the archive's JSON lines, one object a
 * line, queryable by Athena through the Glue table of the CDK app (OCSF_TABLE_COLUMNS gives its schema). wshub's own
 * facts (status, priority, rules) go in `unmapped`, as OCSF intends for attributes it has no place for.
 */
export interface OcsfContext {
  runId: string;
  /** The run's start (epoch milliseconds). */
  time: number;
  tenant: string | null;
}

const SEVERITY_ID: Record<Severity, number> = {
  UNTRIAGED: 0,
  INFORMATIONAL: 1,
  LOW: 2,
  MEDIUM: 3,
  HIGH: 4,
  CRITICAL: 5,
};
const SEVERITY_NAME: Record<Severity, string> = {
  UNTRIAGED: "Unknown",
  INFORMATIONAL: "Informational",
  LOW: "Low",
  MEDIUM: "Medium",
  HIGH: "High",
  CRITICAL: "Critical",
};

export function ocsfFinding(row: RankedRow, context: OcsfContext): Record<string, unknown> {
  const resolved = row.coverage === "protected";
  const first = row.firstObservedAt ? Date.parse(row.firstObservedAt) : undefined;
  return {
    class_uid: 2002,
    class_name: "Vulnerability Finding",
    category_uid: 2,
    category_name: "Findings",
    activity_id: 2,
    activity_name: "Update",
    type_uid: 200202,
    severity_id: SEVERITY_ID[row.severity],
    severity: SEVERITY_NAME[row.severity],
    status_id: resolved ? 4 : 1,
    status: resolved ? "Resolved" : "New",
    time: context.time,
    metadata: { version: "1.1.0", product: { name: "wshub", vendor_name: "wshub" }, uid: securityHubFindingKey(row) },
    finding_info: {
      uid: securityHubFindingKey(row),
      title: `${row.vulnerabilityId} on ${row.instanceId}: ${row.coverage}`,
      desc: row.note,
      types: ["IPS coverage"],
      ...(first !== undefined && Number.isFinite(first) ? { first_seen_time: first } : {}),
    },
    cloud: { provider: "AWS", region: row.region, account: { uid: row.accountId, name: row.accountName } },
    resources: [
      {
        uid: row.instanceId,
        type: "AWS::EC2::Instance",
        region: row.region,
        ...(row.instanceName ? { name: row.instanceName } : {}),
      },
    ],
    vulnerabilities: [
      {
        cve: {
          uid: row.vulnerabilityId,
          ...(row.epssScore !== undefined ? { epss: { score: String(row.epssScore) } } : {}),
        },
        severity: SEVERITY_NAME[row.severity],
        is_exploit_available: row.exploitAvailable === "YES",
        is_fix_available: row.fixAvailable === "YES",
        packages: row.packages.map((name) => ({ name })),
      },
    ],
    remediation: { desc: row.fix },
    unmapped: {
      run_id: context.runId,
      tenant: context.tenant ?? "",
      coverage: row.coverage,
      priority: String(row.priority ?? ""),
      days_exposed: row.daysExposed === undefined ? "" : String(row.daysExposed),
      inspector_score: row.inspectorScore === undefined ? "" : String(row.inspectorScore),
      ips_rules: row.coveringRules.map((rule) => rule.identifier).join(" "),
      ips_rule_names: row.coveringRules.map((rule) => rule.name).join("; "),
      shielded_at: row.shieldedAt ?? "",
    },
  };
}

/** The Glue (Hive) schema of the OCSF JSON lines, column by column, as the CDK app declares the table. */
export const OCSF_TABLE_COLUMNS: readonly { name: string; type: string }[] = [
  { name: "class_uid", type: "int" },
  { name: "class_name", type: "string" },
  { name: "category_uid", type: "int" },
  { name: "activity_id", type: "int" },
  { name: "type_uid", type: "int" },
  { name: "severity_id", type: "int" },
  { name: "severity", type: "string" },
  { name: "status_id", type: "int" },
  { name: "status", type: "string" },
  { name: "time", type: "bigint" },
  { name: "metadata", type: "struct<version:string,product:struct<name:string,vendor_name:string>,uid:string>" },
  {
    name: "finding_info",
    type: "struct<uid:string,title:string,desc:string,types:array<string>,first_seen_time:bigint>",
  },
  { name: "cloud", type: "struct<provider:string,region:string,account:struct<uid:string,name:string>>" },
  { name: "resources", type: "array<struct<uid:string,type:string,region:string,name:string>>" },
  {
    name: "vulnerabilities",
    type: "array<struct<cve:struct<uid:string,epss:struct<score:string>>,severity:string,is_exploit_available:boolean,is_fix_available:boolean,packages:array<struct<name:string>>>>",
  },
  { name: "remediation", type: "struct<desc:string>" },
  { name: "unmapped", type: "map<string,string>" },
];
