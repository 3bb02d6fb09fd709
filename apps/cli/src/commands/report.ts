import {
  ERROR_CODES,
  isRunFinished,
  mapWithConcurrency,
  reportableAuditEvents,
  runState,
  WshubError,
} from "@wshub/core";
import { plannedAccountsOf, reportAccount, reportMeta, reportOrganization } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface ReportCommandOptions extends GlobalOptions {
  run: string;
  email?: boolean;
}

/** `wshub report --run ID`: rebuild a run's reports from the store (and mail them unless --no-email). */
export async function reportCommand(options: ReportCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  if (options.email === false) ctx.config.reports.sendEmail = false;
  const run = await ctx.runs.getRun(options.run);
  if (!run)
    throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${options.run} does not exist (see \`wshub runs\`)`, {
      runId: options.run,
    });
  const state = runState(run, ctx.clock.now());
  if (!isRunFinished(state))
    throw new WshubError(
      ERROR_CODES.RUN_UNFINISHED,
      `run ${run.runId} is ${state}: its coverage is incomplete, so no report is built from it (see \`wshub runs\`; run \`wshub run\` again)`,
      { runId: run.runId, status: state },
    );
  const planned = new Map((await plannedAccountsOf(ctx, run.runId)).map((p) => [p.account.id, p.account]));
  const accountIds = await ctx.runs.listCoverageAccounts(run.runId);
  const audit = reportableAuditEvents(await ctx.audit.query({ runId: run.runId }));
  const meta = await reportMeta(ctx, run.runId);
  const results = await mapWithConcurrency(accountIds, 4, async (accountId) => {
    const account = planned.get(accountId);
    if (!account) return { accountId, status: "skipped: not in the run's organization listing" };
    const outcome = await reportAccount(ctx, run.runId, account, {
      meta,
      force: true,
      assignmentEvents: audit.filter((e) => e.accountId === accountId),
    });
    return { accountId, status: outcome.status };
  });
  const rollup = await reportOrganization(ctx, run.runId, audit, { force: true });
  const folder = `${ctx.config.reports.outputDir}/${run.runId}`;
  if (options.output === "json")
    process.stdout.write(
      `${JSON.stringify({ runId: run.runId, accounts: results, rollup: rollup.status, folder }, null, 2)}\n`,
    );
  else
    process.stdout.write(`rebuilt ${results.length} account report(s) and the roll-up of ${run.runId} in ${folder}\n`);
  return EXIT.OK;
}
