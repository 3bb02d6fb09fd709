import { ERROR_CODES, mapWithConcurrency, WshubError } from "@wshub/core";
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
  const planned = new Map((await plannedAccountsOf(ctx, run.runId)).map((p) => [p.account.id, p.account]));
  const accountIds = await ctx.runs.listCoverageAccounts(run.runId);
  const audit = (await ctx.audit.query({ runId: run.runId })).filter((e) => e.action !== "skipped");
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
  const rollup = await reportOrganization(ctx, run.runId, audit);
  const folder = `${ctx.config.reports.outputDir}/${run.runId}`;
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ runId: run.runId, accounts: results, rollup: rollup.status, folder }, null, 2)}\n`,
    );
  else
    process.stdout.write(`rebuilt ${results.length} account report(s) and the roll-up of ${run.runId} in ${folder}\n`);
  return EXIT.OK;
}
