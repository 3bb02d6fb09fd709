import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countCoverage, COVERAGE_STATUSES } from "@wshub/core";
import { ROLLUP_COLUMNS, ROLLUP_SHEETS, writeRollupWorkbook } from "../src/index.js";
import {
  accountRun,
  coverageRow,
  META,
  mixedRows,
  readWorkbook,
  runRecord,
  sheet,
  sheetValues,
  withTempDir,
} from "./fixtures.js";

const assessed = accountRun({
  counts: countCoverage(mixedRows()),
  instancesWithoutAgent: 2,
  email: { status: "sent", recipients: ["owner@example.com", "team@example.com"], messageId: "<m1@example.com>" },
});
const second = accountRun({
  accountId: "444444444444",
  accountName: "+SUM(A1)",
  tenantSource: "tag",
  tenantReason: "tag wshub-tenant=tenant-a",
  counts: countCoverage([coverageRow(), coverageRow({ coverage: "rule-available" })]),
  instancesWithoutAgent: 1,
  findingsRead: 10,
  email: { status: "link", recipients: ["b@example.com"], messageId: "<m2@example.com>" },
});
const unreachable = accountRun({
  accountId: "555555555555",
  accountName: "legacy",
  status: "unreachable",
  tenant: null,
  tenantSource: "none",
  tenantReason: "no mapping rule matches",
  error: { code: "ACCOUNT_UNREACHABLE", message: "AssumeRole denied" },
  findingsRead: 0,
});
const suspended = accountRun({
  accountId: "222222222222",
  accountName: "old",
  status: "suspended",
  findingsRead: 0,
  error: { code: "ACCOUNT_UNREACHABLE", message: "account is suspended" },
});

const WARNING = {
  scope: "configuration" as const,
  subject: "organization.includeAccounts",
  code: "NOT_IN_ORGANIZATION" as const,
  message: "organization.includeAccounts names account 999999999999, which is not in the organization",
};

async function rollup() {
  return withTempDir(async (dir) => {
    const path = join(dir, "rollup.xlsx");
    const result = await writeRollupWorkbook(path, {
      run: runRecord({ warnings: [WARNING] }),
      accounts: [unreachable, second, assessed, suspended],
      meta: META,
    });
    expect(result.rows).toBe(4);
    return readWorkbook(path);
  });
}

describe("organization roll-up workbook", () => {
  it("has one line per account, unreachable and suspended ones included, sorted by id, and a totals line", async () => {
    const workbook = await rollup();
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Accounts", "Run errors", "Run"]);
    const accountsSheet = sheet(workbook, ROLLUP_SHEETS.accounts);
    const values = sheetValues(accountsSheet);
    const header = values[0] as string[];
    expect(header).toEqual(ROLLUP_COLUMNS.map((c) => c.header));
    expect(values.slice(1, 5).map((row) => row[0])).toEqual([
      "222222222222",
      "333333333333",
      "444444444444",
      "555555555555",
    ]);
    const col = (name: string) => header.indexOf(name);

    const legacy = values[4] as unknown[];
    expect(legacy[col("assessment_status")]).toBe("unreachable");
    expect(legacy[col("error_code")]).toBe("ACCOUNT_UNREACHABLE");
    expect(legacy[col("rows")]).toBeUndefined(); // not 0: unknown
    expect(legacy[col("tenant_source")]).toBe("none");

    const payments = values[2] as unknown[];
    expect(payments[col("rows")]).toBe(42);
    expect(payments[col("protected")]).toBe(6);
    expect(payments[col("coverage_percent")]).toBe(14.3);
    expect(payments[col("email_status")]).toBe("sent");
    expect(payments[col("email_recipients")]).toBe("owner@example.com team@example.com");
    expect((values[3] as unknown[])[col("account_name")]).toBe("+SUM(A1)"); // a typed string: no guard needed in XLSX

    const totals = values[5] as unknown[];
    expect(totals[0]).toBe("Total");
    expect(totals[col("account_name")]).toBe("4 accounts");
    expect(totals[col("assessment_status")]).toBe("2 assessed");
    expect(totals[col("rows")]).toBe(44);
    for (const status of COVERAGE_STATUSES) {
      const expected = status === "protected" ? 7 : status === "rule-available" ? 7 : 6;
      expect(totals[col(status)]).toBe(expected);
    }
    expect(totals[col("coverage_percent")]).toBe(15.9); // 7 / 44
    expect(totals[col("instances_without_agent")]).toBe(3);
    expect(totals[col("findings_read")]).toBe(70);
    // The filter stops above the totals line, so sorting never moves it.
    expect(accountsSheet.autoFilter).toBe(`A1:${columnLetters(header.length)}5`);
  });

  it("lists the run's errors, any account error the run record lacks, then the run's warnings", async () => {
    const values = sheetValues(sheet(await rollup(), ROLLUP_SHEETS.errors));
    expect(values[0]).toEqual(["severity", "scope", "subject", "code", "message"]);
    expect(values.slice(1)).toEqual([
      ["error", "account", "555555555555", "ACCOUNT_UNREACHABLE", "AssumeRole denied"],
      ["error", "account", "222222222222", "ACCOUNT_UNREACHABLE", "account is suspended"],
      ["warning", ...Object.values(WARNING)],
    ]);
  });

  it("summarises the run", async () => {
    const values = sheetValues(sheet(await rollup(), ROLLUP_SHEETS.run));
    const line = (label: string) => values.find((row) => row[0] === label)?.[1];
    expect(line("Run id")).toBe(META.runId);
    expect(line("Week")).toBe("2026-W48");
    expect(line("Accounts assessed")).toBe(2);
    expect(line("Coverage rows")).toBe(44);
    expect(line("Regions")).toBe("us-east-1 eu-west-1");
  });
});

/** Excel's column name of a 1-based column number (27 → AA). */
function columnLetters(column: number): string {
  let name = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
