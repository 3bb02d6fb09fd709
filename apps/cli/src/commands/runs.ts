import { stringify } from "csv-stringify/sync";
import { neutralizeFormula, runState, type RunRecord } from "@wshub/core";
import { EXIT } from "../exit-codes.js";
import { textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface RunsCommandOptions extends GlobalOptions {
  limit: number;
}

const COLUMNS: [header: string, value: (run: RunRecord) => string | number][] = [
  ["run", (r) => r.runId],
  ["started", (r) => r.startedAt],
  ["status", (r) => r.status],
  ["accounts", (r) => r.accountsTotal],
  ["assessed", (r) => r.accountsAssessed],
  ["rows", (r) => r.coverageRows],
  ["covered", (r) => (r.counts?.coveragePercent == null ? "-" : `${r.counts.coveragePercent}%`)],
  ["errors", (r) => r.errors.length],
  ["warnings", (r) => r.warnings?.length ?? 0],
];

/** `wshub runs`: the most recent runs, as a table, CSV or JSON. */
export async function runsCommand(options: RunsCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const now = ctx.clock.now();
  // A `running` run whose heartbeat expired is shown as what it is: abandoned.
  const runs = (await ctx.runs.listRuns(options.limit)).map((r) => ({ ...r, status: runState(r, now) }));
  const headers = COLUMNS.map(([header]) => header);
  const rows = runs.map((run) => COLUMNS.map(([, value]) => value(run)));
  if (options.output === "json") process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
  else if (options.output === "csv")
    process.stdout.write(stringify([headers, ...rows.map((row) => row.map((v) => neutralizeFormula(String(v))))]));
  else process.stdout.write(`${textTable(headers, rows)}\n`);
  return EXIT.OK;
}
