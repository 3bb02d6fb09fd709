import type { AwsSecurityFinding, SeverityLabel } from "@aws-sdk/client-securityhub";
import type { ExportChange, Severity } from "@wshub/core";

/** Where the findings go: the hub account's own Security Hub (the default product ARN requires it; docs/insights.md). */
export interface AsffTarget {
  accountId: string;
  region: string;
  partition: string;
}

const LABELS: Record<Severity, SeverityLabel> = {
  CRITICAL: "CRITICAL",
  HIGH: "HIGH",
  MEDIUM: "MEDIUM",
  LOW: "LOW",
  INFORMATIONAL: "INFORMATIONAL",
  UNTRIAGED: "INFORMATIONAL",
};

const TYPES = ["Software and Configuration Checks/Vulnerabilities/CVE"];

/** One change as an ASFF finding (full: BatchImportFindings replaces the provider's fields on every import). */
export function toAsff(change: ExportChange, target: AsffTarget, now: string): AwsSecurityFinding {
  const row = change.row;
  const resolved = change.state === "ARCHIVED";
  const severity = { Label: LABELS[row.severity], Original: row.severity };
  const description = resolved
    ? `Resolved: ${change.reason === "resolved" && row.coverage !== "protected" ? "the finding is no longer active" : "IPS now protects this instance from this vulnerability"}.`
    : `${row.coverage}: ${row.note}. Fix: ${row.fix || "none"}.`;
  return {
    SchemaVersion: "2018-10-08",
    Id: change.key,
    ProductArn: `arn:${target.partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`,
    ProductName: "wshub",
    CompanyName: "wshub",
    GeneratorId: "wshub/ips-coverage",
    AwsAccountId: target.accountId,
    Types: TYPES,
    CreatedAt: row.firstObservedAt ?? now,
    UpdatedAt: now,
    ...(row.firstObservedAt ? { FirstObservedAt: row.firstObservedAt } : {}),
    LastObservedAt: now,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: TYPES },
    Title: cut(`${row.vulnerabilityId} on ${row.instanceId} is not shielded by Workload Security IPS`, 256),
    Description: cut(description, 1024),
    Remediation: { Recommendation: { Text: cut(row.fix || "none: IPS protects it", 512) } },
    Resources: [
      {
        Type: "AwsEc2Instance",
        Id: `arn:${target.partition}:ec2:${row.region}:${row.accountId}:instance/${row.instanceId}`,
        Partition: target.partition === "aws" ? "aws" : target.partition === "aws-cn" ? "aws-cn" : "aws-us-gov",
        Region: row.region,
        ...(row.instanceName ? { Tags: { Name: cut(row.instanceName, 256) } } : {}),
      },
    ],
    Vulnerabilities: [
      {
        Id: row.vulnerabilityId,
        ...(row.exploitAvailable === "YES" || row.exploitAvailable === "NO"
          ? { ExploitAvailable: row.exploitAvailable }
          : {}),
        ...(row.epssScore !== undefined ? { EpssScore: row.epssScore } : {}),
        ...(row.fixAvailable === "YES" || row.fixAvailable === "NO" || row.fixAvailable === "PARTIAL"
          ? { FixAvailable: row.fixAvailable }
          : {}),
      },
    ],
    ProductFields: {
      "wshub/accountId": row.accountId,
      "wshub/accountName": cut(row.accountName, 1024),
      "wshub/coverage": row.coverage,
      "wshub/ipsRules": row.ruleIdentifiers.join(" "),
      "wshub/change": change.reason,
    },
    RecordState: change.state,
  };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
