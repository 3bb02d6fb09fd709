import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { countCoverage } from "@wshub/core";
// Type-only: proves this package still satisfies the port the hub declares (a drift fails `pnpm typecheck`).
import type { ReportRenderer as HubReportRenderer } from "../../hub/src/context.js";
import { createReportRenderer, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from "../src/index.js";
import { accountCoverage, accountRun, auditEvent, META, mixedRows, runRecord, withTempDir } from "./fixtures.js";

const coverage = accountCoverage(mixedRows());
const counts = countCoverage(coverage.rows);

async function wshubTempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith("wshub-report-"));
}

describe("report renderer", () => {
  it("implements the hub's ReportRenderer port", () => {
    const renderer: HubReportRenderer = createReportRenderer();
    expect(typeof renderer.accountFiles).toBe("function");
  });

  it("renders an account's workbook and CSV in memory and leaves no temporary files", async () => {
    const before = await wshubTempDirs();
    const files = await createReportRenderer().accountFiles(coverage, counts, META);
    expect(files.map((f) => [f.filename, f.contentType, f.path])).toEqual([
      ["ips-coverage-333333333333-2026-W48.xlsx", XLSX_CONTENT_TYPE, undefined],
      ["ips-coverage-333333333333-2026-W48.csv", CSV_CONTENT_TYPE, undefined],
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(files[0]?.content as unknown as ExcelJS.Buffer);
    expect(workbook.getWorksheet("Coverage")?.rowCount).toBe(43);
    expect(files[1]?.content.toString("utf8").split("\r\n")).toHaveLength(44);
    expect(await wshubTempDirs()).toEqual(before);
  });

  it("keeps the files under outputDir/runId when asked, identical to what it returns", async () => {
    await withTempDir(async (dir) => {
      const renderer = createReportRenderer({ outputDir: dir });
      const files = [
        ...(await renderer.assignmentFiles([auditEvent()], "333333333333", META)),
        ...(await renderer.rollupFiles(runRecord(), [accountRun({ counts })], META)),
      ];
      expect(files.map((f) => f.filename)).toEqual([
        "ips-assignments-333333333333-2026-W48.xlsx",
        "ips-assignments-333333333333-2026-W48.csv",
        "ips-coverage-organization-2026-W48.xlsx",
      ]);
      for (const file of files) {
        expect(file.path).toBe(join(dir, META.runId, file.filename));
        expect((await readFile(file.path as string)).equals(file.content)).toBe(true);
      }
    });
  });

  it("composes with attachments, or with links when the hub passes links", async () => {
    const renderer = createReportRenderer();
    const attachments = await renderer.accountFiles(coverage, counts, META);
    const base = { from: "wshub@example.com", to: ["owner@example.com"], coverage, counts, meta: META };
    const attached = await simpleParser((await renderer.accountEmail({ ...base, attachments, links: [] })).raw);
    expect(attached.attachments.map((a) => a.content.length)).toEqual(attachments.map((a) => a.content.length));
    expect(attached.text).toContain("Instances without agent: 2");
    const link = { filename: "x.xlsx", url: "https://example.com/x.xlsx?sig=1", expiresAt: "2026-11-28T00:00:00Z" };
    const linked = await simpleParser((await renderer.accountEmail({ ...base, attachments, links: [link] })).raw);
    expect(linked.attachments).toHaveLength(0);
    expect(linked.text).toContain(link.url);
    const rollup = await renderer.rollupEmail({
      from: "wshub@example.com",
      to: ["secops@example.com"],
      run: runRecord(),
      accounts: [accountRun({ counts })],
      meta: META,
      attachments: [],
      links: [],
    });
    expect(rollup.subject).toBe("IPS coverage: organization roll-up, week 2026-W48");
  });
});
