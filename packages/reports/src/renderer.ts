import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type {
  AccountCoverage,
  AccountSections,
  AccountRunRecord,
  AuditEvent,
  CoverageCounts,
  OrganizationInsights,
  ReportInsights,
  RunRecord,
} from "@wshub/core";
import { writeAccountWorkbook } from "./account-workbook.js";
import { writeAssignmentCsv, writeAssignmentWorkbook } from "./assignment-report.js";
import { writeCoverageCsv } from "./coverage-csv.js";
import {
  CSV_CONTENT_TYPE,
  HTML_CONTENT_TYPE,
  XLSX_CONTENT_TYPE,
  type ComposedEmail,
  type Mailbox,
  type ReportLink,
} from "./email/compose.js";
import { composeAccountEmail } from "./email/account-email.js";
import type { Delivery } from "./email/delivery.js";
import { composeRollup } from "./email/rollup-email.js";
import { EMAIL_TOP_ROWS, type EmailTopRow } from "./email/insights-summary.js";
import { accountReportFileNames, assignmentReportFileNames, rollupFileNames, safeFilePart } from "./file-names.js";
import { accountHtmlReport, organizationHtmlReport, writeHtmlReport } from "./html/html-report.js";
import { ocsfFinding } from "./ocsf.js";
import { rankRows, type RankedRow } from "./ranked-rows.js";
import { writeTrendCsv, type TrendLine } from "./trend-csv.js";
import type { ReportMeta } from "./meta.js";
import { writeRollupWorkbook } from "./rollup-workbook.js";
import { writeComplianceCsv, writeWafCsv } from "./waf-report.js";

/** A file the renderer produced. */
export interface RenderedFile {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Where it was written, when the renderer keeps files on disk (`outputDir`). */
  path?: string;
}

/** The shape `@wshub/hub` expects (its `ReportRenderer` port), implemented over the writers of this package. */
export interface ReportRenderer {
  /**
   * XLSX, CSV and HTML; with insights, the HTML and the Summary sheet show KPIs and the trend; with sections, the
   * WAF and Compliance sheets and their CSVs.
   */
  accountFiles(
    coverage: AccountCoverage,
    counts: CoverageCounts,
    meta: ReportMeta,
    insights?: ReportInsights,
    sections?: AccountSections,
  ): Promise<RenderedFile[]>;
  assignmentFiles(events: AuditEvent[], scope: string, meta: ReportMeta): Promise<RenderedFile[]>;
  /** The archive's copies of an account's rows: the coverage CSV and OCSF JSON lines (in memory). */
  archiveFiles(coverage: AccountCoverage, meta: ReportMeta): Promise<{ csv: Buffer; jsonl: Buffer }>;
  /** XLSX, and with insights the HTML report and the trend CSV too. */
  rollupFiles(
    run: RunRecord,
    accounts: AccountRunRecord[],
    meta: ReportMeta,
    insights?: OrganizationInsights,
  ): Promise<RenderedFile[]>;
  accountEmail(input: {
    from: Mailbox;
    to: Mailbox[];
    coverage: AccountCoverage;
    counts: CoverageCounts;
    meta: ReportMeta;
    insights?: ReportInsights;
    attachments: RenderedFile[];
    links: ReportLink[];
  }): Promise<ComposedEmail>;
  rollupEmail(input: {
    from: Mailbox;
    to: Mailbox[];
    run: RunRecord;
    accounts: AccountRunRecord[];
    meta: ReportMeta;
    insights?: OrganizationInsights;
    attachments: RenderedFile[];
    links: ReportLink[];
  }): Promise<ComposedEmail>;
}

export interface ReportRendererOptions {
  /** Keep the files under `<outputDir>/<runId>/`; without it they are written to a temporary folder and removed. */
  outputDir?: string;
  /** UTF-8 BOM on CSV files (see CsvOptions.bom). */
  csvBom?: boolean;
}

type FileWriter = (path: string) => Promise<unknown>;

export function createReportRenderer(options: ReportRendererOptions = {}): ReportRenderer {
  const csv = { bom: options.csvBom ?? false };
  const render = (meta: ReportMeta, files: [string, string, FileWriter][]) =>
    renderFiles(options.outputDir, meta, files);
  // The files and the e-mail of one account share one ranking of its rows.
  const rankings = new WeakMap<AccountCoverage, RankedRow[]>();
  const ranked = (coverage: AccountCoverage, asOf: string): RankedRow[] => {
    let rows = rankings.get(coverage);
    if (!rows) rankings.set(coverage, (rows = rankRows(coverage.rows, asOf)));
    return rows;
  };
  return {
    accountFiles(coverage, counts, meta, insights, sections) {
      const names = accountReportFileNames(coverage.accountId, meta.week);
      const rows = ranked(coverage, insights?.asOf ?? meta.generatedAt);
      const workbook = {
        coverage,
        counts,
        meta,
        ranked: rows,
        ...(insights ? { insights } : {}),
        ...(sections ? { sections } : {}),
      };
      const files: [string, string, FileWriter][] = [
        [names.xlsx, XLSX_CONTENT_TYPE, (path) => writeAccountWorkbook(path, workbook)],
        [names.csv, CSV_CONTENT_TYPE, (path) => writeCoverageCsv(path, rows, csv)],
      ];
      const { waf, compliance } = sections ?? {};
      if (waf) files.push([names.wafCsv, CSV_CONTENT_TYPE, (path) => writeWafCsv(path, waf, csv)]);
      if (compliance)
        files.push([names.complianceCsv, CSV_CONTENT_TYPE, (path) => writeComplianceCsv(path, compliance, csv)]);
      if (insights) {
        const html = () => accountHtmlReport({ coverage, counts, meta, insights, ranked: rows });
        files.push([names.html, HTML_CONTENT_TYPE, (path) => writeHtmlReport(path, html())]);
      }
      return render(meta, files);
    },
    async archiveFiles(coverage, meta) {
      const asOf = meta.startedAt ?? meta.generatedAt;
      const rows = ranked(coverage, asOf);
      const context = { runId: meta.runId, time: Date.parse(asOf), tenant: coverage.tenant };
      const jsonl = rows.map((row) => `${JSON.stringify(ocsfFinding(row, context))}\n`).join("");
      return { csv: await csvBuffer(rows, csv), jsonl: Buffer.from(jsonl, "utf8") };
    },
    assignmentFiles(events, scope, meta) {
      const names = assignmentReportFileNames(scope, meta.week);
      return render(meta, [
        [names.xlsx, XLSX_CONTENT_TYPE, (path) => writeAssignmentWorkbook(path, events)],
        [names.csv, CSV_CONTENT_TYPE, (path) => writeAssignmentCsv(path, events, csv)],
      ]);
    },
    rollupFiles(run, accounts, meta, insights) {
      const names = rollupFileNames(meta.week);
      const workbook = { run, accounts, meta, ...(insights ? { insights } : {}) };
      const files: [string, string, FileWriter][] = [
        [names.xlsx, XLSX_CONTENT_TYPE, (path) => writeRollupWorkbook(path, workbook)],
      ];
      if (insights) {
        const html = () => organizationHtmlReport({ run, accounts, meta, insights });
        files.push(
          [names.html, HTML_CONTENT_TYPE, (path) => writeHtmlReport(path, html())],
          [names.trendCsv, CSV_CONTENT_TYPE, (path) => writeTrendCsv(path, trendLines(accounts, insights), csv)],
        );
      }
      return render(meta, files);
    },
    accountEmail(input) {
      const asOf = input.insights?.asOf ?? input.meta.generatedAt;
      const base = {
        ...input,
        account: input.coverage,
        instancesWithoutAgent: input.coverage.instancesWithoutAgent.length,
        top: emailTop(ranked(input.coverage, asOf)),
      };
      return composeAccountEmail(base, delivery(input.attachments, input.links));
    },
    rollupEmail(input) {
      return composeRollup(input, delivery(input.attachments, input.links));
    },
  };
}

async function csvBuffer(rows: readonly RankedRow[], options: { bom: boolean }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeCoverageCsv(sink, rows, options);
  return Buffer.concat(chunks);
}

/** The first unshielded rows of an account, for its e-mail. */
function emailTop(rows: readonly RankedRow[]): EmailTopRow[] {
  const top: EmailTopRow[] = [];
  for (const row of rows) {
    if (top.length === EMAIL_TOP_ROWS) break;
    if (row.coverage !== "protected") top.push({ ...row, priority: row.priority ?? top.length + 1 });
  }
  return top;
}

/** The trend CSV: the organization's series, then each account's. */
function trendLines(accounts: readonly AccountRunRecord[], insights: OrganizationInsights): TrendLine[] {
  const lines: TrendLine[] = insights.trend.map((point) => ({ scope: "organization", point }));
  for (const account of [...accounts].sort((a, b) => (a.accountId < b.accountId ? -1 : 1)))
    for (const point of insights.accountTrends[account.accountId] ?? [])
      lines.push({ scope: "account", accountId: account.accountId, accountName: account.accountName, point });
  return lines;
}

/** Links win: the hub passes them only when the message with attachments was too big. */
function delivery(attachments: readonly RenderedFile[], links: readonly ReportLink[]): Delivery {
  if (links.length > 0) return { links };
  return {
    attachments: attachments.map(({ filename, contentType, content }) => ({ filename, contentType, content })),
  };
}

async function renderFiles(
  outputDir: string | undefined,
  meta: ReportMeta,
  files: [string, string, FileWriter][],
): Promise<RenderedFile[]> {
  const keep = outputDir !== undefined;
  const dir = keep ? join(outputDir, safeFilePart(meta.runId)) : await mkdtemp(join(tmpdir(), "wshub-report-"));
  try {
    if (keep) await mkdir(dir, { recursive: true });
    const rendered: RenderedFile[] = [];
    for (const [filename, contentType, write] of files) {
      const path = join(dir, filename);
      await write(path);
      const file: RenderedFile = { filename, contentType, content: await readFile(path) };
      if (keep) file.path = path;
      rendered.push(file);
    }
    return rendered;
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
