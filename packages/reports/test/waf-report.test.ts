import { join } from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { wafCountsOf, type AuditEvent, type ComplianceRow, type WafRow } from "@wshub/core";
import {
  COMPLIANCE_COLUMNS,
  ROLLUP_SHEETS,
  WAF_COLUMNS,
  writeAccountWorkbook,
  writeComplianceCsv,
  writeRollupWorkbook,
  writeWafCsv,
  type ReportTarget,
  type WriteResult,
} from "../src/index.js";
import {
  accountCoverage,
  accountRun,
  auditEvent,
  META,
  mixedRows,
  readWorkbook,
  runRecord,
  sheet,
  sheetValues,
  withTempDir,
} from "./fixtures.js";

const aws = (name: string) => ({ vendorName: "AWS", name });

function wafRow(overrides: Partial<WafRow> = {}): WafRow {
  return {
    accountId: "333333333333",
    region: "eu-west-1",
    resourceKind: "alb",
    resourceArn: "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/web/1",
    resourceName: "web",
    internetFacing: true,
    webAclKind: "wafv2",
    webAcl: "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/main/1",
    instanceIds: ["i-1", "i-2"],
    protectedInstanceIds: ["i-1"],
    policies: ["Linux Web"],
    classes: ["web-server"],
    presentGroups: [aws("AWSManagedRulesCommonRuleSet")],
    recommendedGroups: [aws("AWSManagedRulesCommonRuleSet"), aws("AWSManagedRulesLinuxRuleSet")],
    missingGroups: [aws("AWSManagedRulesLinuxRuleSet")],
    unavailableGroups: [],
    status: "missing-groups",
    flagged: false,
    reason: "lacks AWSManagedRulesLinuxRuleSet",
    ...overrides,
  };
}

const bare = wafRow({
  resourceName: '=HYPERLINK("x")',
  resourceArn: "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/bare/2",
  webAclKind: "none",
  webAcl: "",
  presentGroups: [],
  missingGroups: [aws("AWSManagedRulesCommonRuleSet"), aws("AWSManagedRulesLinuxRuleSet")],
  status: "no-webacl",
  flagged: true,
  reason: "internet-facing, no WebACL in front of 1 protected instance(s)",
});

function compliance(resourceId: string, value: ComplianceRow["compliance"], rule = "ws-agent-active"): ComplianceRow {
  return {
    resourceType: "AWS::EC2::Instance",
    resourceId,
    compliance: value,
    annotation: value === "COMPLIANT" ? "agent active" : "no Workload Security agent",
    orderingTimestamp: "2026-11-25T08:00:00.000Z",
    rule,
    accountId: "333333333333",
    region: "eu-west-1",
    tenant: "tenant-a",
  };
}

async function text(write: (target: ReportTarget) => Promise<WriteResult>): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await write(sink);
  return Buffer.concat(chunks).toString("utf8");
}

describe("WAF and Compliance report sections", () => {
  it("an account workbook with sections gains the WAF and Compliance sheets, in that order, after the others", async () => {
    const rows = [bare, wafRow()];
    const workbook = await withTempDir(async (dir) => {
      const path = join(dir, "account.xlsx");
      const sections = { waf: rows, compliance: [compliance("i-2", "COMPLIANT"), compliance("i-1", "NON_COMPLIANT")] };
      await writeAccountWorkbook(path, { coverage: accountCoverage(mixedRows()), meta: META, sections });
      return readWorkbook(path);
    });
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary", "Coverage", "No agent", "WAF", "Compliance"]);
    const waf = sheetValues(sheet(workbook, "WAF"));
    expect(waf[0]).toEqual(WAF_COLUMNS.map((c) => c.header));
    const header = waf[0] as string[];
    const cell = (row: number, name: string) => (waf[row] as unknown[])[header.indexOf(name)];
    expect(cell(1, "flagged")).toBe("yes");
    expect(cell(1, "webacl_kind")).toBe("none");
    expect(cell(1, "resource_name")).toBe('=HYPERLINK("x")'); // a typed string in XLSX, never a formula
    expect(cell(2, "present_groups")).toBe("AWS:AWSManagedRulesCommonRuleSet");
    expect(cell(2, "missing_groups")).toBe("AWS:AWSManagedRulesLinuxRuleSet");
    expect(cell(2, "instances")).toBe("i-1 i-2");
    expect(cell(2, "protected_instances")).toBe("i-1");
    const results = sheetValues(sheet(workbook, "Compliance"));
    expect(results[0]).toEqual(COMPLIANCE_COLUMNS.map((c) => c.header));
    expect(results.slice(1).map((r) => [r[2], r[4]])).toEqual([
      ["i-1", "NON_COMPLIANT"],
      ["i-2", "COMPLIANT"],
    ]);
  });

  it("without sections the workbook has no WAF or Compliance sheet", async () => {
    const workbook = await withTempDir(async (dir) => {
      const path = join(dir, "account.xlsx");
      await writeAccountWorkbook(path, { coverage: accountCoverage([]), meta: META });
      return readWorkbook(path);
    });
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary", "Coverage", "No agent"]);
  });

  it("waf.csv has the sheet's columns, one line per resource, formulas neutralised", async () => {
    const csv = await text((target) => writeWafCsv(target, [bare, wafRow()]));
    const lines = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(lines[0] ?? {})).toEqual(WAF_COLUMNS.map((c) => c.header));
    expect(lines.map((l) => [l["flagged"], l["status"], l["missing_groups"]])).toEqual([
      ["yes", "no-webacl", "AWS:AWSManagedRulesCommonRuleSet; AWS:AWSManagedRulesLinuxRuleSet"],
      ["", "missing-groups", "AWS:AWSManagedRulesLinuxRuleSet"],
    ]);
    expect(lines[0]?.["resource_name"]).toBe('\'=HYPERLINK("x")');
  });

  it("compliance.csv lists non-compliant results first", async () => {
    const csv = await text((target) =>
      writeComplianceCsv(target, [
        compliance("i-2", "COMPLIANT"),
        compliance("i-3", "NOT_APPLICABLE"),
        compliance("i-1", "NON_COMPLIANT"),
      ]),
    );
    const lines = parse(csv, { columns: true }) as Record<string, string>[];
    expect(lines.map((l) => [l["instance_id"], l["compliance"]])).toEqual([
      ["i-1", "NON_COMPLIANT"],
      ["i-2", "COMPLIANT"],
      ["i-3", "NOT_APPLICABLE"],
    ]);
  });

  it("the roll-up counts ALBs and distributions checked, flagged, groups missing and added, with totals", async () => {
    const applied: AuditEvent = auditEvent({
      action: "applied",
      change: "webacl-rule-groups",
      details: { addedRules: ["wshub-AWSManagedRulesLinuxRuleSet"] },
    });
    const rows = [bare, wafRow(), wafRow({ resourceKind: "cloudfront", region: "global", missingGroups: [] })];
    const counts = wafCountsOf(rows, [applied]);
    expect(counts).toEqual({ albs: 2, distributions: 1, flagged: 1, groupsMissing: 2, groupsAdded: 1 });
    const workbook = await withTempDir(async (dir) => {
      const path = join(dir, "rollup.xlsx");
      const accounts = [accountRun({ waf: counts }), accountRun({ accountId: "444444444444", waf: counts })];
      await writeRollupWorkbook(path, { run: runRecord(), accounts, meta: META });
      return readWorkbook(path);
    });
    const values = sheetValues(sheet(workbook, ROLLUP_SHEETS.accounts));
    const header = values[0] as string[];
    const totals = values[3] as unknown[];
    expect(
      ["waf_albs", "waf_distributions", "waf_flagged_no_webacl", "waf_groups_missing", "waf_groups_added"].map(
        (name) => totals[header.indexOf(name)],
      ),
    ).toEqual([4, 2, 2, 4, 2]);
    const run = sheetValues(sheet(workbook, ROLLUP_SHEETS.run));
    expect(run.find((line) => line[0] === "WAF: groups missing / added")?.[1]).toBe("4 / 2");
  });
});
