import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { expectedRows, project } from "../src/expected.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("wshub demo", () => {
  it("produces example-small's expected coverage rows and e-mails whose attachments open", async () => {
    const out = mkdtempSync(join(tmpdir(), "wshub-demo-"));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", join(ROOT, "apps/cli/src/main.ts"), "demo", "--json", "--out", out],
      {
        cwd: ROOT,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        maxBuffer: 20_000_000,
      },
    );
    const result = JSON.parse(stdout) as {
      run: { runId: string; status: string };
      reports: string;
      emails: string;
      sent: number;
    };
    expect(result.run.status).toBe("partial"); // 666666666666 has no member role: reported, the rest goes on

    const csvFiles = (await readdir(result.reports)).filter(
      (f) => f.endsWith(".csv") && f.startsWith("ips-coverage-") && !f.startsWith("ips-coverage-trend-"),
    );
    const rows = (
      await Promise.all(
        csvFiles.map(
          async (f) =>
            parse(await readFile(join(result.reports, f), "utf8"), { columns: true }) as Record<string, string>[],
        ),
      )
    ).flat();
    expect(project(rows)).toEqual(project(expectedRows()));

    const emails = (await readdir(result.emails)).filter((f) => f.endsWith(".eml"));
    // Accounts with a SecurityContact tag (333, 444) get their report; the roll-up goes to the central team.
    expect(emails.sort()).toEqual(["account-333333333333.eml", "account-444444444444.eml", "organization.eml"]);
    expect(result.sent).toBe(3);
    const message = await simpleParser(await readFile(join(result.emails, "account-333333333333.eml")));
    expect(message.subject).toMatch(/payments-prod \(333333333333\).*W\d\d/);
    expect((message.to as { text: string }).text).toBe("pay-sec@example.com");
    const xlsx = message.attachments.find((a) => a.filename?.endsWith(".xlsx"));
    const csv = message.attachments.find((a) => a.filename?.endsWith(".csv"));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx!.content as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["Summary", "Coverage", "No agent"]));
    expect(workbook.getWorksheet("Coverage")!.rowCount).toBe(1 + 6);
    expect(project(parse(csv!.content.toString("utf8"), { columns: true }) as Record<string, string>[])).toEqual(
      project(expectedRows().filter((r) => r["account_id"] === "333333333333")),
    );
    const rollup = await simpleParser(await readFile(join(result.emails, "organization.eml")));
    expect((rollup.to as { text: string }).text).toBe("central-security@example.com");
    expect(rollup.attachments.some((a) => a.filename?.endsWith(".xlsx"))).toBe(true);
  });
});
