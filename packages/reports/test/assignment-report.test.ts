import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ASSIGNMENT_COLUMNS, ASSIGNMENTS_SHEET, writeAssignmentCsv, writeAssignmentWorkbook } from "../src/index.js";
import { auditEvent, readWorkbook, sheet, sheetValues, withTempDir } from "./fixtures.js";

const events = [
  auditEvent(),
  auditEvent({
    eventId: "e2",
    action: "failed",
    targetKind: "computer",
    targetId: 501,
    alsoAffects: undefined,
    answer: { status: 0, message: "connect ECONNREFUSED" },
    reason: "-tenant unreachable",
  }),
  auditEvent({ eventId: "e3", action: "skipped", answer: undefined, reason: "guard rail: account not allowed" }),
];

describe("assignment report", () => {
  it("writes one CSV line per event with the API answer and, for policy changes, what else is reached", async () => {
    const text = await withTempDir(async (dir) => {
      const path = join(dir, "assignments.csv");
      expect((await writeAssignmentCsv(path, events)).rows).toBe(3);
      return readFile(path, "utf8");
    });
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0] ?? {})).toEqual(ASSIGNMENT_COLUMNS.map((c) => c.header));
    expect(records[0]).toMatchObject({
      action: "applied",
      mode: "apply",
      target_kind: "policy",
      target_id: "7",
      rule_ids: "11 12",
      rule_identifiers: "1011001 1011002",
      rule_names: 'Rule one, with comma; Rule "two"',
      cves: "CVE-2024-1001 CVE-2024-1002",
      api_status: "200",
      api_assigned_rule_ids: "3 11 12",
      api_message: "ok",
      change_id: "chg-1",
      also_affects_computer_ids: "502 503",
      also_affects_account_ids: "444444444444",
    });
    expect(records[1]).toMatchObject({
      action: "failed",
      api_status: "0",
      reason: "'-tenant unreachable",
      also_affects_computer_ids: "",
    });
    expect(records[2]).toMatchObject({ action: "skipped", api_status: "", api_assigned_rule_ids: "" });
  });

  it("writes the same lines to an Assignments sheet, numbers as numbers", async () => {
    const workbook = await withTempDir(async (dir) => {
      const path = join(dir, "assignments.xlsx");
      await writeAssignmentWorkbook(path, events);
      return readWorkbook(path);
    });
    const values = sheetValues(sheet(workbook, ASSIGNMENTS_SHEET));
    const header = values[0] as string[];
    expect(header).toEqual(ASSIGNMENT_COLUMNS.map((c) => c.header));
    expect(values).toHaveLength(4);
    expect((values[1] as unknown[])[header.indexOf("computer_id")]).toBe(501);
    expect((values[1] as unknown[])[header.indexOf("api_status")]).toBe(200);
    expect((values[2] as unknown[])[header.indexOf("reason")]).toBe("-tenant unreachable"); // a typed string: no guard needed in XLSX
  });
});
