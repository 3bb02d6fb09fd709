import { runState } from "@wshub/core";
import { EXIT } from "../exit-codes.js";
import { textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

/** `wshub runs`: the most recent runs. */
export async function runsCommand(options: GlobalOptions & { limit?: string }): Promise<number> {
  const ctx = await openHub(options);
  const now = ctx.clock.now();
  // A `running` run whose heartbeat expired is shown as what it is: abandoned.
  const runs = (await ctx.runs.listRuns(Number(options.limit ?? 10))).map((r) => ({ ...r, status: runState(r, now) }));
  if (options.json) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
  else
    process.stdout.write(
      `${textTable(
        ["run", "started", "status", "accounts", "assessed", "rows", "covered", "errors"],
        runs.map((r) => [
          r.runId,
          r.startedAt,
          runState(r, now),
          r.accountsTotal,
          r.accountsAssessed,
          r.coverageRows,
          r.counts?.coveragePercent == null ? "-" : `${r.counts.coveragePercent}%`,
          r.errors.length,
        ]),
      )}\n`,
    );
  return EXIT.OK;
}
