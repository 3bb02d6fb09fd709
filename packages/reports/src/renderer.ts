import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccountCoverage, AccountRunRecord, AuditEvent, CoverageCounts, RunRecord } from "@wshub/core";
import { writeAccountWorkbook } from "./account-workbook.js";
import { writeAssignmentCsv, writeAssignmentWorkbook } from "./assignment-report.js";
import { writeCoverageCsv } from "./coverage-csv.js";
import {
  CSV_CONTENT_TYPE,
  XLSX_CONTENT_TYPE,
  type ComposedEmail,
  type Mailbox,
  type ReportLink,
} from "./email/compose.js";
import { composeAccountEmail } from "./email/account-email.js";
import type { Delivery } from "./email/delivery.js";
import { composeRollup } from "./email/rollup-email.js";
import { accountReportFileNames, assignmentReportFileNames, rollupFileName, safeFilePart } from "./file-names.js";
import type { ReportMeta } from "./meta.js";
import { writeRollupWorkbook } from "./rollup-workbook.js";

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
  accountFiles(coverage: AccountCoverage, counts: CoverageCounts, meta: ReportMeta): Promise<RenderedFile[]>;
  assignmentFiles(events: AuditEvent[], scope: string, meta: ReportMeta): Promise<RenderedFile[]>;
  rollupFiles(run: RunRecord, accounts: AccountRunRecord[], meta: ReportMeta): Promise<RenderedFile[]>;
  accountEmail(input: {
    from: Mailbox;
    to: Mailbox[];
    coverage: AccountCoverage;
    counts: CoverageCounts;
    meta: ReportMeta;
    attachments: RenderedFile[];
    links: ReportLink[];
  }): Promise<ComposedEmail>;
  rollupEmail(input: {
    from: Mailbox;
    to: Mailbox[];
    run: RunRecord;
    accounts: AccountRunRecord[];
    meta: ReportMeta;
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
  return {
    accountFiles(coverage, counts, meta) {
      const names = accountReportFileNames(coverage.accountId, meta.week);
      return render(meta, [
        [names.xlsx, XLSX_CONTENT_TYPE, (path) => writeAccountWorkbook(path, { coverage, counts, meta })],
        [names.csv, CSV_CONTENT_TYPE, (path) => writeCoverageCsv(path, coverage.rows, csv)],
      ]);
    },
    assignmentFiles(events, scope, meta) {
      const names = assignmentReportFileNames(scope, meta.week);
      return render(meta, [
        [names.xlsx, XLSX_CONTENT_TYPE, (path) => writeAssignmentWorkbook(path, events)],
        [names.csv, CSV_CONTENT_TYPE, (path) => writeAssignmentCsv(path, events, csv)],
      ]);
    },
    rollupFiles(run, accounts, meta) {
      return render(meta, [
        [rollupFileName(meta.week), XLSX_CONTENT_TYPE, (path) => writeRollupWorkbook(path, { run, accounts, meta })],
      ]);
    },
    accountEmail(input) {
      const base = {
        ...input,
        account: input.coverage,
        instancesWithoutAgent: input.coverage.instancesWithoutAgent.length,
      };
      return composeAccountEmail(base, delivery(input.attachments, input.links));
    },
    rollupEmail(input) {
      return composeRollup(input, delivery(input.attachments, input.links));
    },
  };
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
