/**
 * A worker thread that renders and mails account reports, so report rendering (CPU-bound: XLSX, CSV, MIME) runs on
 * another core while the main thread evaluates the next accounts. It builds its own hub context from the same
 * configuration (only the report side: createReportContext) and reads each account's coverage from the store, exactly
 * as the report Lambda does.
 */
import { threadId, workerData } from "node:worker_threads";
import {
  summarizeError,
  type AccountSections,
  type AuditEvent,
  type ErrorSummary,
  type HubConfig,
  type OrgAccount,
} from "@wshub/core";
import { reportAccount, type AccountReporter, type ReportMeta } from "@wshub/hub";
import { createReportContext, type RuntimeOptions } from "@wshub/runtime";
import { cliLogger } from "../logger.js";
import { traceMemory } from "../peak-rss.js";

export interface ReportWorkerData {
  config: HubConfig;
  credentials?: RuntimeOptions["credentials"];
  profile?: string;
  verbose?: boolean;
  outputDir?: string;
  emlDir?: string;
  human: boolean;
}

export interface ReportJob {
  runId: string;
  account: OrgAccount;
  assignmentEvents: AuditEvent[];
  meta: ReportMeta;
  /** The WAF and Config rule rows (plain data, cloned across the thread boundary). */
  sections?: AccountSections;
}

/** Errors cross the thread boundary as their summary (code and message), so the pool can rebuild a typed error. */
export type ReportJobResult = { outcome: Awaited<ReturnType<AccountReporter>> } | { error: ErrorSummary };

traceMemory(threadId);
const data = workerData as ReportWorkerData;
const ctx = createReportContext({
  config: data.config,
  logger: cliLogger({ human: data.human, level: data.verbose ? "debug" : "warn" }),
  ...(data.credentials ? { credentials: data.credentials } : {}),
  ...(data.profile !== undefined ? { profile: data.profile } : {}),
  ...(data.outputDir ? { outputDir: data.outputDir } : {}),
  ...(data.emlDir ? { emlDir: data.emlDir } : {}),
});

export default async function renderReport(job: ReportJob): Promise<ReportJobResult> {
  try {
    return {
      outcome: await reportAccount(ctx, job.runId, job.account, {
        assignmentEvents: job.assignmentEvents,
        meta: job.meta,
        ...(job.sections ? { sections: job.sections } : {}),
      }),
    };
  } catch (error) {
    return { error: summarizeError(error) };
  }
}
