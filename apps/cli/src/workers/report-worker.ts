/**
 * A worker thread that renders and mails account reports, so report rendering (CPU-bound: XLSX, CSV, MIME) runs on
 * another core while the main thread evaluates the next accounts. It builds its own hub context from the same
 * configuration and reads each account's coverage from the store, exactly as the report Lambda does.
 */
import { parentPort, workerData } from "node:worker_threads";
import { summarizeError, type AuditEvent, type HubConfig, type OrgAccount } from "@wshub/core";
import { reportAccount, type ReportMeta } from "@wshub/hub";
import { createHubContext, type RuntimeOptions } from "@wshub/runtime";
import { cliLogger } from "../logger.js";

export interface ReportWorkerData {
  config: HubConfig;
  credentials?: RuntimeOptions["credentials"];
  outputDir?: string;
  emlDir?: string;
  human: boolean;
}

export interface ReportJob {
  id: number;
  runId: string;
  account: OrgAccount;
  assignmentEvents: AuditEvent[];
  meta: ReportMeta;
}

const data = workerData as ReportWorkerData;
const ctx = createHubContext({
  config: data.config,
  logger: cliLogger({ human: data.human, level: "warn" }),
  ...(data.credentials ? { credentials: data.credentials } : {}),
  ...(data.outputDir ? { outputDir: data.outputDir } : {}),
  ...(data.emlDir ? { emlDir: data.emlDir } : {}),
});

/** Two reports at a time: enough to overlap one's I/O with the other's rendering, without piling up memory. */
const CONCURRENT = 2;
const queue: ReportJob[] = [];
let running = 0;

function pump(): void {
  while (running < CONCURRENT && queue.length > 0) {
    const job = queue.shift() as ReportJob;
    running++;
    reportAccount(ctx, job.runId, job.account, { assignmentEvents: job.assignmentEvents, meta: job.meta })
      .then(
        (outcome) => parentPort?.postMessage({ id: job.id, outcome }),
        (error: unknown) => parentPort?.postMessage({ id: job.id, error: summarizeError(error) }),
      )
      .finally(() => {
        running--;
        pump();
      });
  }
}

parentPort?.on("message", (job: ReportJob) => {
  queue.push(job);
  pump();
});
