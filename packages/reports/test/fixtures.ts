import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import {
  COVERAGE_STATUSES,
  countCoverage,
  FIX_FOR_STATUS,
  SEVERITIES,
  type AccountCoverage,
  type AccountRunRecord,
  type AuditEvent,
  type CoverageRow,
  type RunRecord,
} from "@wshub/core";
import type { ReportMeta } from "../src/index.js";

/** Text an account owner could put in a tag or a name to attack a spreadsheet. */
export const HOSTILE_VALUES = ['=HYPERLINK("http://x")', "+1", "-2", "@cmd", "\tTAB", "\rCR"] as const;

export const META: ReportMeta = {
  runId: "run-20261125T080000Z-abcd",
  week: "2026-W48",
  generatedAt: "2026-11-25T08:30:00.000Z",
};

export function coverageRow(overrides: Partial<CoverageRow> = {}): CoverageRow {
  return {
    accountId: "333333333333",
    accountName: "payments-prod",
    region: "us-east-1",
    instanceId: "i-0a10000000000001",
    instanceName: "web-1",
    vulnerabilityId: "CVE-2024-1001",
    severity: "HIGH",
    packages: ["openssl 3.0.2", "libssl3 3.0.2"],
    findingArns: [
      "arn:aws:inspector2:us-east-1:333333333333:finding/a1",
      "arn:aws:inspector2:us-east-1:333333333333:finding/a2",
    ],
    inspectorScore: 7.5,
    fixAvailable: "YES",
    exploitAvailable: "NO",
    firstObservedAt: "2026-11-01T10:00:00.000Z",
    tenant: "tenant-a",
    coverage: "protected",
    coveringRules: [
      { id: 11, identifier: "1011001", name: "Rule one", detectOnly: false },
      { id: 12, identifier: "1011002", name: "Rule two", detectOnly: false },
    ],
    effectiveRuleIds: [12],
    computer: { id: 501, name: "web-1.example", policyId: 7, agentStatus: "active", ipsState: "prevent" },
    note: "a covering rule is effective and IPS prevents",
    fix: FIX_FOR_STATUS.protected,
    ...overrides,
  };
}

/** One row per status × severity (42 rows), on three instances, plus hostile and awkward text. */
export function mixedRows(): CoverageRow[] {
  const rows: CoverageRow[] = [];
  let n = 0;
  for (const status of COVERAGE_STATUSES) {
    for (const severity of SEVERITIES) {
      n++;
      rows.push(
        coverageRow({
          instanceId: `i-0${n % 3}`,
          vulnerabilityId: `CVE-2024-${String(n).padStart(4, "0")}`,
          coverage: status,
          severity,
          fix: FIX_FOR_STATUS[status],
        }),
      );
    }
  }
  return rows;
}

export function accountCoverage(rows: CoverageRow[], overrides: Partial<AccountCoverage> = {}): AccountCoverage {
  return {
    runId: META.runId,
    accountId: "333333333333",
    accountName: "payments-prod",
    ouPath: "Root/Workloads/Prod",
    tenant: "tenant-a",
    rows,
    instancesWithoutAgent: [
      {
        accountId: "333333333333",
        region: "us-east-1",
        instanceId: "i-01",
        name: "=cmd|' /C calc'!A0",
        state: "stopped",
      },
      {
        accountId: "333333333333",
        region: "eu-west-1",
        instanceId: "i-99",
        scanStatus: "INACTIVE",
        scanStatusReason: "NO_INVENTORY",
      },
    ],
    findingCounts: { total: 60, coverage: 48, active: 52, suppressed: 5, closed: 3, otherTypes: 2, otherResources: 2 },
    evaluatedAt: "2026-11-25T08:10:00.000Z",
    ...overrides,
  };
}

export function accountRun(overrides: Partial<AccountRunRecord> = {}): AccountRunRecord {
  return {
    runId: META.runId,
    accountId: "333333333333",
    accountName: "payments-prod",
    ouPath: "Root/Workloads/Prod",
    status: "collected",
    tenant: "tenant-a",
    tenantSource: "organizational-unit",
    tenantReason: "OU ou-prod (Prod)",
    findingsRead: 60,
    findingsWritten: 60,
    inspectorCalls: 3,
    ...overrides,
  };
}

export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: META.runId,
    startedAt: "2026-11-25T08:00:00.000Z",
    finishedAt: "2026-11-25T08:20:00.000Z",
    status: "partial",
    trigger: "schedule",
    actor: "arn:aws:sts::111111111111:assumed-role/wshub/run",
    collectionMode: "member-role",
    regions: ["us-east-1", "eu-west-1"],
    accountsTotal: 3,
    accountsAssessed: 2,
    accountsFailed: 1,
    accountsSkipped: 0,
    findingsRead: 100,
    findingsWritten: 90,
    coverageRows: 50,
    errors: [{ scope: "account", subject: "555555555555", code: "ACCOUNT_UNREACHABLE", message: "AssumeRole denied" }],
    ...overrides,
  };
}

export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: `${META.runId}#tenant-a#000001`,
    runId: META.runId,
    at: "2026-11-25T08:15:00.000Z",
    actor: "arn:aws:sts::111111111111:assumed-role/wshub/run",
    mode: "apply",
    action: "applied",
    changeId: "chg-1",
    tenant: "tenant-a",
    accountId: "333333333333",
    region: "us-east-1",
    instanceId: "i-0a10000000000001",
    computerId: 501,
    policyId: 7,
    targetKind: "policy",
    targetId: 7,
    ruleIds: [11, 12],
    ruleIdentifiers: ["1011001", "1011002"],
    ruleNames: ["Rule one, with comma", 'Rule "two"'],
    cves: ["CVE-2024-1001", "CVE-2024-1002"],
    findingArns: ["arn:aws:inspector2:us-east-1:333333333333:finding/a1"],
    alsoAffects: { computerIds: [502, 503], accountIds: ["444444444444"] },
    answer: { status: 200, assignedRuleIds: [3, 11, 12], message: "ok" },
    ...overrides,
  };
}

export { countCoverage };

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "wshub-reports-test-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

export function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

/** A sheet's values as arrays (exceljs rows are 1-based with an empty slot 0). */
export function sheetValues(worksheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    rows[rowNumber - 1] = (row.values as unknown[]).slice(1);
  });
  return Array.from(rows, (row) => row ?? []);
}
