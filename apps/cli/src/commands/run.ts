import { runHub } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { runSummary } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";
import { interruptOnSignals } from "../signals.js";
import { waitMsOf } from "../wait.js";
import { peakRssMb } from "../peak-rss.js";

export interface RunCommandOptions extends GlobalOptions {
  failOnPartial?: boolean;
  wait?: number | boolean;
}

/** `wshub run`: the weekly run, in one process; one run at a time (refused, or `--wait`s, while another holds the lease). */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const ctx = await openHub({ ...options, reportWorkers: true });
  const waitMs = waitMsOf(options.wait);
  const outcome = await runHub(ctx, {
    trigger: "cli",
    keepRows: false,
    ...(waitMs === undefined ? {} : { waitMs }),
    onStart: (runId) => interruptOnSignals(ctx, runId),
  }).finally(() => ctx.close());
  ctx.finishProgress();
  const accounts = await ctx.runs.listAccountRuns(outcome.run.runId);
  // Peak resident memory of this process, for benchmarks.
  const maxRssMb = peakRssMb();
  if (options.output === "json")
    process.stdout.write(
      `${JSON.stringify({ run: outcome.run, accounts, stageMs: outcome.stageMs, maxRssMb }, null, 2)}\n`,
    );
  else
    process.stdout.write(
      `${runSummary(outcome.run, accounts)}\n\nreports: ${ctx.config.reports.outputDir}/${outcome.run.runId}\n`,
    );
  return exitCodeForRun(outcome.run.status, options.failOnPartial === true);
}

export function exitCodeForRun(status: string, failOnPartial: boolean): number {
  if (status === "failed") return EXIT.RUN_FAILED;
  if (status === "partial" && failOnPartial) return EXIT.PARTIAL;
  return EXIT.OK;
}
