import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { COVERAGE_STATUSES, SEVERITIES, countCoverage } from "@wshub/core";
import {
  ACCOUNT_SHEETS,
  EXCEL_MAX_CELL_TEXT,
  WORKBOOK_COVERAGE_COLUMNS as COVERAGE_COLUMNS,
  writeAccountWorkbook,
} from "../src/index.js";
import {
  accountCoverage,
  auditEvent,
  coverageRow,
  HOSTILE_VALUES,
  META,
  mixedRows,
  readWorkbook,
  sheet,
  sheetValues,
  withTempDir,
} from "./fixtures.js";

async function workbookOf(input: Parameters<typeof writeAccountWorkbook>[1]): Promise<ExcelJS.Workbook> {
  return withTempDir(async (dir) => {
    const path = join(dir, "account.xlsx");
    await writeAccountWorkbook(path, input);
    return readWorkbook(path);
  });
}

/** Row of the Summary sheet whose first cell is `label`. */
function summaryLine(values: unknown[][], label: string): unknown[] {
  const line = values.find((row) => row[0] === label);
  if (!line) throw new Error(`no summary line ${label}`);
  return line;
}

describe("account workbook", () => {
  const rows = mixedRows();
  const coverage = accountCoverage(rows);

  it("has the Summary, Coverage and No agent sheets", async () => {
    const workbook = await workbookOf({ coverage, meta: META });
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary", "Coverage", "No agent"]);
  });

  it("writes every row to Coverage under a frozen, filtered header, numbers as numbers", async () => {
    const workbook = await workbookOf({ coverage, meta: META });
    const coverageSheet = sheet(workbook, ACCOUNT_SHEETS.coverage);
    const values = sheetValues(coverageSheet);
    expect(values[0]).toEqual(COVERAGE_COLUMNS.map((c) => c.header));
    expect(values).toHaveLength(rows.length + 1);
    expect(coverageSheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(coverageSheet.autoFilter).toBe(`A1:W${rows.length + 1}`);
    expect(coverageSheet.getColumn(1).width).toBe(10);
    const header = values[0] as string[];
    const first = values[1] as unknown[];
    expect(first[header.indexOf("computer_id")]).toBe(501);
    expect(first[header.indexOf("inspector_score")]).toBe(7.5);
    expect(first[header.indexOf("ips_rules")]).toBe("1011001 1011002");
    // Priority order: the rule-available rows come first, numbered from 1.
    expect(first[header.indexOf("coverage")]).toBe("rule-available");
    expect(first[header.indexOf("priority")]).toBe(1);
    const statuses = values.slice(1).map((v) => (v as unknown[])[header.indexOf("coverage")]);
    expect([...new Set(statuses)]).toEqual([
      "rule-available",
      "detect-only",
      "inactive",
      "no-agent",
      "no-tenant",
      "no-rule",
      "protected",
    ]);
  });

  it("puts the counts per status × severity with totals and the percentages on Summary", async () => {
    const workbook = await workbookOf({ coverage, meta: META });
    const values = sheetValues(sheet(workbook, ACCOUNT_SHEETS.summary));
    expect(summaryLine(values, "Account id")[1]).toBe("333333333333");
    expect(summaryLine(values, "Week")[1]).toBe("2026-W48");
    expect(summaryLine(values, "Run id")[1]).toBe(META.runId);
    expect(summaryLine(values, "Status")).toEqual(["Status", ...SEVERITIES, "Total"]);
    for (const status of COVERAGE_STATUSES)
      expect(summaryLine(values, status).slice(1, 8)).toEqual([1, 1, 1, 1, 1, 1, 6]);
    expect(summaryLine(values, "Total")).toEqual(["Total", 7, 7, 7, 7, 7, 7, 42]);
    const counts = countCoverage(rows);
    expect(summaryLine(values, "Coverage (%): protected ÷ all rows")[1]).toBe(counts.coveragePercent);
    expect(counts.coveragePercent).toBe(14.3);
    expect(values.find((row) => String(row[0]).startsWith("Shieldable"))?.[1]).toBe(20);
    expect(summaryLine(values, "Suppressed")[1]).toBe(5);
    expect(summaryLine(values, "Instances without agent")[1]).toBe(2);
    // One explanation line per status, after the counts table.
    const explanations = values.filter((row) => typeof row[1] === "string" && String(row[1]).includes("Fix:"));
    expect(explanations).toHaveLength(COVERAGE_STATUSES.length - 1);
  });

  it("writes percentages as n/a for an account without rows", async () => {
    const workbook = await workbookOf({ coverage: accountCoverage([]), meta: META });
    const values = sheetValues(sheet(workbook, ACCOUNT_SHEETS.summary));
    expect(summaryLine(values, "Coverage (%): protected ÷ all rows")[1]).toBe("n/a");
    expect(summaryLine(values, "Total")[7]).toBe(0);
    expect(sheetValues(sheet(workbook, ACCOUNT_SHEETS.coverage))).toHaveLength(1);
  });

  it("lists instances without agent with their number of coverage rows", async () => {
    const workbook = await workbookOf({ coverage, meta: META });
    const values = sheetValues(sheet(workbook, ACCOUNT_SHEETS.noAgent));
    expect(values[0]).toEqual([
      "instance_id",
      "instance_name",
      "region",
      "state",
      "scan_status",
      "scan_status_reason",
      "coverage_rows",
    ]);
    // The first comes from EC2 (member role: a state), the second from Inspector's coverage (a scan status).
    expect(values[1]).toEqual(["i-01", "=cmd|' /C calc'!A0", "us-east-1", "stopped", undefined, undefined, 14]);
    expect(values[2]).toEqual(["i-99", undefined, "eu-west-1", undefined, "INACTIVE", "NO_INVENTORY", 0]);
  });

  it("writes formula-like text as typed strings, exactly as given (no quote to show), never as formulas", async () => {
    const hostile = HOSTILE_VALUES.map((value) => coverageRow({ instanceName: value, accountName: value }));
    const workbook = await workbookOf({
      coverage: accountCoverage(hostile, { accountName: '=HYPERLINK("http://x")', ouPath: "@cmd" }),
      meta: META,
    });
    const coverageSheet = sheet(workbook, ACCOUNT_SHEETS.coverage);
    const nameColumn = COVERAGE_COLUMNS.findIndex((c) => c.header === "instance_name") + 1;
    HOSTILE_VALUES.forEach((value, i) => {
      const cell = coverageSheet.getRow(i + 2).getCell(nameColumn);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // A carriage return becomes a line feed in XLSX (see excelCell).
      expect(cell.value).toBe(value.replace("\r", "\n"));
      expect(cell.formula).toBeUndefined();
    });
    const summary = sheetValues(sheet(workbook, ACCOUNT_SHEETS.summary));
    expect(summaryLine(summary, "Account name")[1]).toBe(`=HYPERLINK("http://x")`);
    expect(summaryLine(summary, "OU path")[1]).toBe("@cmd");
    const noFormula = sheet(workbook, ACCOUNT_SHEETS.summary).getRow(3).getCell(2);
    expect(noFormula.type).toBe(ExcelJS.ValueType.String);
  });

  it("cuts a text longer than Excel's cell limit", async () => {
    const arns = Array.from(
      { length: 400 },
      (_, i) => `arn:aws:inspector2:us-east-1:333333333333:finding/${"f".repeat(60)}${i}`,
    );
    const packages = Array.from({ length: 2_000 }, (_, i) => `package-with-a-long-name-${i} 1.0.${i}`);
    const workbook = await workbookOf({
      coverage: accountCoverage([coverageRow({ findingArns: arns, packages })]),
      meta: META,
    });
    const cell = sheet(workbook, ACCOUNT_SHEETS.coverage)
      .getRow(2)
      .getCell(COVERAGE_COLUMNS.findIndex((c) => c.header === "packages") + 1);
    expect(String(cell.value)).toHaveLength(EXCEL_MAX_CELL_TEXT);
    expect(String(cell.value).endsWith("[truncated]")).toBe(true);
    expect(
      sheet(workbook, ACCOUNT_SHEETS.coverage)
        .getRow(2)
        .getCell(COVERAGE_COLUMNS.findIndex((c) => c.header === "finding_count") + 1).value,
    ).toBe(400);
  });

  it("streams a big sheet with back-pressure and reads back every row", async () => {
    const many = Array.from({ length: 6_000 }, (_, i) => coverageRow({ vulnerabilityId: `CVE-2024-${i}` }));
    const workbook = await workbookOf({ coverage: accountCoverage(many), meta: META });
    const coverageSheet = sheet(workbook, ACCOUNT_SHEETS.coverage);
    expect(coverageSheet.rowCount).toBe(6_001);
    expect(
      coverageSheet.getRow(6_001).getCell(COVERAGE_COLUMNS.findIndex((c) => c.header === "vulnerability_id") + 1).value,
    ).toBe("CVE-2024-999"); // every factor ties: the row key (vulnerability id, as text) orders them
    expect(coverageSheet.getRow(1).font?.bold ?? coverageSheet.getRow(1).getCell(1).font?.bold).toBe(true);
  });

  it("adds an Assignments sheet when events are given and says when coverage comes from an earlier run", async () => {
    const workbook = await workbookOf({
      coverage: accountCoverage(rows, { runId: "run-earlier" }),
      meta: META,
      assignmentEvents: [auditEvent()],
    });
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary", "Coverage", "No agent", "Assignments"]);
    expect(sheetValues(sheet(workbook, "Assignments"))).toHaveLength(2);
    expect(summaryLine(sheetValues(sheet(workbook, ACCOUNT_SHEETS.summary)), "Coverage from run")[1]).toBe(
      "run-earlier",
    );
  });
});
