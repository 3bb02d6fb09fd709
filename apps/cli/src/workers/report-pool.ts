import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { WshubError, type ErrorSummary } from "@wshub/core";
import type { AccountReporter } from "@wshub/hub";
import type { ReportJob, ReportWorkerData } from "./report-worker.js";

type Outcome = Awaited<ReturnType<AccountReporter>>;

/**
 * Hands account reports to worker threads, round robin. One worker per spare core (none on a one-core machine, where
 * reports stay in the main thread). The workers run TypeScript through tsx like the CLI itself.
 * A worker that dies fails its pending reports instead of leaving the run waiting.
 */
export class ReportPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (o: Outcome) => void; reject: (e: Error) => void }>();
  private nextJob = 1;

  /** WSHUB_REPORT_WORKERS overrides; default one worker per core beyond the main thread's, at most 3. */
  static size(): number {
    const configured = Number(process.env["WSHUB_REPORT_WORKERS"]);
    if (Number.isInteger(configured) && configured >= 0) return configured;
    return Math.max(0, Math.min(3, availableParallelism() - 1));
  }

  constructor(data: ReportWorkerData, size = ReportPool.size()) {
    this.workers = Array.from({ length: size }, () => {
      // A bounded heap: the worker holds one account report at a time.
      const worker = new Worker(new URL("./report-worker-entry.mjs", import.meta.url), {
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: 384 },
      });
      worker.on("message", (message: { id: number; outcome?: Outcome; error?: ErrorSummary }) => {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new WshubError(message.error.code, message.error.message));
        else waiter?.resolve(message.outcome as Outcome);
      });
      const failAll = (error: Error) => {
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      };
      worker.on("error", failAll);
      worker.on("exit", (code) => {
        if (!this.closing) failAll(new Error(`a report worker exited with code ${code}`));
      });
      return worker;
    });
  }

  get enabled(): boolean {
    return this.workers.length > 0;
  }

  readonly report: AccountReporter = (runId, account, options) =>
    new Promise<Outcome>((resolve, reject) => {
      const id = this.nextJob++;
      this.pending.set(id, { resolve, reject });
      const job: ReportJob = { id, runId, account, assignmentEvents: options.assignmentEvents, meta: options.meta };
      (this.workers[id % this.workers.length] as Worker).postMessage(job);
    });

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
