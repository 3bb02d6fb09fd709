import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { WshubError } from "@wshub/core";
import type { AccountReporter } from "@wshub/hub";
import type { ReportJob, ReportJobResult, ReportWorkerData } from "./report-worker.js";

type Outcome = Awaited<ReturnType<AccountReporter>>;

/** Reports a worker renders at once: enough to overlap one's I/O with the other's rendering, without piling up memory. */
const REPORTS_PER_WORKER = 2;
/** A bounded heap: a worker holds at most REPORTS_PER_WORKER account reports. */
const WORKER_HEAP_MB = 384;
/**
 * A small young generation: rendering allocates short-lived strings and rows, and V8's default let the worker hold
 * ~30 MB more heap at M (112 → 84 MB) with no slower rendering measured (docs/performance.md).
 */
const WORKER_YOUNG_MB = 8;

export interface ReportPoolOptions {
  size?: number;
  /** The worker module (default: the report worker); tests hand in their own. */
  filename?: URL;
}

/**
 * Hands account reports to worker threads (piscina), so rendering runs on spare cores while the main thread
 * evaluates. A worker that dies fails only the reports it was rendering, and piscina starts a new one for the rest;
 * none is lost in a queue. One worker per spare core, none on a one-core machine (reports then stay in the main
 * thread). The workers run TypeScript through tsx like the CLI itself.
 */
export class ReportPool {
  private readonly pool: Piscina | undefined;

  /** WSHUB_REPORT_WORKERS overrides; default one worker per core beyond the main thread's, at most 3. */
  static size(): number {
    const configured = Number(process.env["WSHUB_REPORT_WORKERS"]);
    if (Number.isInteger(configured) && configured >= 0) return configured;
    return Math.max(0, Math.min(3, availableParallelism() - 1));
  }

  constructor(data: ReportWorkerData, options: ReportPoolOptions = {}) {
    const size = options.size ?? ReportPool.size();
    this.pool =
      size === 0
        ? undefined
        : new Piscina({
            filename: (options.filename ?? new URL("./report-worker-entry.mjs", import.meta.url)).href,
            workerData: data,
            minThreads: size,
            maxThreads: size,
            concurrentTasksPerWorker: REPORTS_PER_WORKER,
            resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
          });
  }

  get enabled(): boolean {
    return this.pool !== undefined;
  }

  /** The worker threads (tests end one to prove the others carry on). */
  get threads(): readonly { terminate(): Promise<number> }[] {
    return this.pool?.threads ?? [];
  }

  readonly report: AccountReporter = async (runId, account, options) => {
    if (!this.pool) throw new Error("the report pool has no workers");
    const job: ReportJob = {
      runId,
      account,
      assignmentEvents: options.assignmentEvents,
      meta: options.meta,
      ...(options.sections ? { sections: options.sections } : {}),
    };
    const result = (await this.pool.run(job)) as ReportJobResult;
    if ("error" in result) throw new WshubError(result.error.code, result.error.message);
    return result.outcome satisfies Outcome;
  };

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
