import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { countCoverage, WshubError } from "@wshub/core";
import {
  accountReportSubject,
  composeAccountEmail,
  composeRollup,
  CSV_CONTENT_TYPE,
  encodedSize,
  estimateEncodedSize,
  writeAccountWorkbook,
  writeCoverageCsv,
  XLSX_CONTENT_TYPE,
  type AccountEmailBase,
  type MailAttachment,
  type ReportLink,
  type RollupEmailBase,
} from "../src/index.js";
import { accountCoverage, accountRun, META, mixedRows, runRecord, withTempDir } from "./fixtures.js";

// The two deliveries of each message, as the renderer chooses them: files attached, or links to them.
const composeAccountReportEmail = (input: AccountEmailBase & { attachments: readonly MailAttachment[] }) =>
  composeAccountEmail(input, { attachments: input.attachments });
const composeAccountReportLinkEmail = (input: AccountEmailBase & { links: readonly ReportLink[] }) =>
  composeAccountEmail(input, { links: input.links });
const composeRollupEmail = (input: RollupEmailBase & { attachments: readonly MailAttachment[] }) =>
  composeRollup(input, { attachments: input.attachments });
const composeRollupLinkEmail = (input: RollupEmailBase & { links: readonly ReportLink[] }) =>
  composeRollup(input, { links: input.links });

const rows = mixedRows();
const counts = countCoverage(rows);
const account = {
  accountId: "333333333333",
  accountName: "Zahlungs-Prüfung ✓",
  ouPath: "Root/Ünits",
  tenant: "tenant-a",
};
const from = { name: "Sécurité wshub", address: "wshub@example.com" };
const to = ["owner@example.com", { name: "Ågot Team", address: "team@example.com" }];

/** The account's real workbook and CSV, read back as bytes. */
async function reportFiles(): Promise<MailAttachment[]> {
  return withTempDir(async (dir) => {
    const xlsx = join(dir, "r.xlsx");
    const csv = join(dir, "r.csv");
    await writeAccountWorkbook(xlsx, { coverage: accountCoverage(rows), meta: META });
    await writeCoverageCsv(csv, rows);
    return [
      {
        filename: "ips-coverage-333333333333-2026-W48.xlsx",
        contentType: XLSX_CONTENT_TYPE,
        content: await readFile(xlsx),
      },
      {
        filename: "ips-coverage-333333333333-2026-W48.csv",
        contentType: CSV_CONTENT_TYPE,
        content: await readFile(csv),
      },
    ];
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): { address?: string; name: string }[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((f) => f.value);
}

const links = [
  {
    filename: "ips-coverage-333333333333-2026-W48.xlsx",
    url: "https://bucket.s3.amazonaws.com/r.xlsx?X-Amz-Signature=abc&X-Amz-Expires=259200",
    expiresAt: "2026-11-28T08:30:00.000Z",
  },
  {
    filename: "ips-coverage-333333333333-2026-W48.csv",
    url: "https://bucket.s3.amazonaws.com/r.csv?X-Amz-Signature=def&X-Amz-Expires=259200",
    expiresAt: "2026-11-28T08:30:00.000Z",
  },
];

describe("account report e-mail", () => {
  it("names the account and the ISO week in the subject", () => {
    expect(accountReportSubject({ accountId: "333333333333", accountName: "payments-prod" }, "2026-W48")).toBe(
      "IPS coverage: payments-prod (333333333333), week 2026-W48",
    );
  });

  it("carries UTF-8 subject and names, both bodies, and the files byte for byte", async () => {
    const files = await reportFiles();
    const message = await composeAccountReportEmail({
      from,
      to,
      account,
      counts,
      meta: META,
      instancesWithoutAgent: 2,
      attachments: files,
    });
    const mail: ParsedMail = await simpleParser(message.raw);
    expect(mail.subject).toBe("IPS coverage: Zahlungs-Prüfung ✓ (333333333333), week 2026-W48");
    expect(message.subject).toBe(mail.subject);
    expect(addresses(mail.from)).toEqual([{ address: "wshub@example.com", name: "Sécurité wshub" }]);
    expect(addresses(mail.to).map((a) => a.address)).toEqual(["owner@example.com", "team@example.com"]);
    expect(addresses(mail.to)[1]?.name).toBe("Ågot Team");

    expect(mail.text).toContain("Coverage: 14.3 % of 42 vulnerability rows are protected");
    expect(mail.text).toMatch(/rule-available\s+6\s+assign the covering IPS rule/);
    expect(mail.text).toContain("Instances without agent: 2");
    expect(mail.html).toContain("14.3 %");
    expect(mail.html).toContain("Zahlungs-Prüfung ✓ (333333333333)");

    expect(mail.attachments.map((a) => a.filename)).toEqual(files.map((f) => f.filename));
    mail.attachments.forEach((attachment, i) => {
      expect(attachment.content.equals(files[i]?.content as Buffer)).toBe(true);
    });
    expect(mail.attachments[0]?.contentType).toBe(XLSX_CONTENT_TYPE);
    expect(mail.attachments[1]?.contentType).toBe("text/csv");
    const csvHeaders = mail.attachments[1]?.headers.get("content-type") as { params?: Record<string, string> };
    expect(csvHeaders.params?.charset).toBe("utf-8");
    expect(encodedSize(message)).toBe(message.raw.length);
    expect(estimateEncodedSize(files.map((f) => f.content.length))).toBeGreaterThan(message.raw.length);
  });

  it("escapes every value from names and tags in the HTML body", async () => {
    const hostile = {
      ...account,
      accountName: '<script>alert("x")</script>',
      ouPath: "Root/<b>&co</b>",
      tenant: "t'<img src=x>",
    };
    const message = await composeAccountReportEmail({
      from,
      to,
      account: hostile,
      counts,
      meta: META,
      attachments: [],
    });
    const mail = await simpleParser(message.raw);
    const html = String(mail.html);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>&co");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("Root/&lt;b&gt;&amp;co&lt;/b&gt;");
    expect(mail.text).toContain('<script>alert("x")</script>'); // plain text stays as is
  });

  it("keeps a name with line breaks on one header line", async () => {
    const sneaky = { ...account, accountName: "prod\r\nBcc: evil@example.com" };
    const message = await composeAccountReportEmail({ from, to, account: sneaky, counts, meta: META, attachments: [] });
    const mail = await simpleParser(message.raw);
    expect(mail.subject).toBe("IPS coverage: prod Bcc: evil@example.com (333333333333), week 2026-W48");
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has("bcc")).toBe(false);
  });

  it("attaches the assignment report too when given", async () => {
    const files = await reportFiles();
    const assignment = {
      filename: "ips-assignments-333333333333-2026-W48.csv",
      contentType: CSV_CONTENT_TYPE,
      content: Buffer.from("at,action\r\n"),
    };
    const mail = await simpleParser(
      (await composeAccountReportEmail({ from, to, account, counts, meta: META, attachments: [...files, assignment] }))
        .raw,
    );
    expect(mail.attachments).toHaveLength(3);
    expect(mail.attachments[2]?.content.toString()).toBe("at,action\r\n");
  });

  it("has no attachments but the URLs and their expiry in the link variant", async () => {
    const message = await composeAccountReportLinkEmail({ from, to, account, counts, meta: META, links });
    const mail = await simpleParser(message.raw);
    expect(mail.subject).toBe("IPS coverage: Zahlungs-Prüfung ✓ (333333333333), week 2026-W48");
    expect(mail.attachments).toHaveLength(0);
    for (const link of links) {
      expect(mail.text).toContain(link.url);
      expect(mail.html).toContain(`href="${link.url.replace(/&/g, "&amp;")}"`);
    }
    expect(mail.text).toContain("valid until 2026-11-28T08:30:00.000Z");
    expect(message.raw.length).toBeLessThan(20_000);
  });

  it("refuses a link that is not http(s) and a message without recipients", async () => {
    const bad = [{ filename: "x.csv", url: "javascript:alert(1)", expiresAt: "2026-11-28T00:00:00Z" }];
    await expect(
      composeAccountReportLinkEmail({ from, to, account, counts, meta: META, links: bad }),
    ).rejects.toMatchObject({ code: "EMAIL_FAILED" });
    const error = await composeAccountReportEmail({ from, to: [], account, counts, meta: META, attachments: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WshubError);
    expect((error as WshubError).code).toBe("EMAIL_FAILED");
  });
});

describe("organization roll-up e-mail", () => {
  const run = runRecord();
  const accounts = [
    accountRun({ counts, instancesWithoutAgent: 2 }),
    accountRun({
      accountId: "555555555555",
      accountName: "<legacy>",
      status: "unreachable",
      error: { code: "ACCOUNT_UNREACHABLE", message: "AssumeRole denied" },
    }),
  ];
  const rollup = {
    filename: "ips-coverage-organization-2026-W48.xlsx",
    contentType: XLSX_CONTENT_TYPE,
    content: Buffer.from("PK fake xlsx bytes \u0000\u00ff", "latin1"),
  };

  it("goes to the central recipients with the roll-up attached and the week in the subject", async () => {
    const message = await composeRollupEmail({
      from,
      to: ["secops@example.com"],
      run,
      accounts,
      meta: META,
      attachments: [rollup],
    });
    const mail = await simpleParser(message.raw);
    expect(mail.subject).toBe("IPS coverage: organization roll-up, week 2026-W48");
    expect(addresses(mail.to).map((a) => a.address)).toEqual(["secops@example.com"]);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.content.equals(rollup.content)).toBe(true);
    expect(mail.text).toContain("2 listed, 1 assessed, 1 not assessed");
    expect(mail.text).toContain("<legacy> (555555555555) unreachable: AssumeRole denied");
    expect(mail.html).toContain("&lt;legacy&gt; (555555555555)");
    expect(mail.text).toContain("Organization coverage: 14.3 % of 42");
  });

  it("has a link variant", async () => {
    const mail = await simpleParser(
      (await composeRollupLinkEmail({ from, to: ["secops@example.com"], run, accounts, meta: META, links })).raw,
    );
    expect(mail.attachments).toHaveLength(0);
    expect(mail.text).toContain(links[0]?.url);
  });
});
