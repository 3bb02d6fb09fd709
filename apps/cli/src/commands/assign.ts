import { ERROR_CODES, WshubError, type RunRecord } from "@wshub/core";
import { assignFromStore, type HubContext } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { auditTable, textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface AssignCommandOptions extends GlobalOptions {
  plan?: boolean;
  apply?: boolean;
  run?: string;
}

/**
 * `wshub assign --plan|--apply [--run ID]`: act on a run's stored coverage (default: the latest finished run),
 * checked against each tenant's live state. `--plan` records what would change; `--apply` changes it.
 */
export async function assignCommand(options: AssignCommandOptions): Promise<number> {
  if (options.plan === options.apply)
    throw new WshubError(ERROR_CODES.CONFIG_INVALID, "say --plan or --apply (one of them)", {});
  const ctx = await openHub(options);
  const run = await runToAssign(ctx, options.run);
  const identity = await ctx.identity();
  const outcome = await assignFromStore(
    ctx,
    { runId: run.runId, actor: identity.arn },
    { defaultMode: options.apply ? "apply" : "plan" },
  );
  const changes = outcome.plans.flatMap((plan) => plan.changes.map((change) => ({ tenant: plan.tenant, ...change })));
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ runId: run.runId, changes, calls: outcome.calls, stopped: outcome.stopped, events: outcome.events }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `${textTable(
        ["tenant", "target", "mode", "rules", "instances", "also reaches (computers / accounts)", "blocked"],
        changes.map((c) => [
          c.tenant,
          `${c.target.kind} ${c.target.id}`,
          c.mode,
          c.rules.map((r) => r.identifier).join(" "),
          c.instances.map((i) => `${i.accountId}/${i.instanceId}`).join(" "),
          `${c.alsoAffects.computerIds.join(",") || "-"} / ${c.alsoAffects.accountIds.join(",") || "-"}`,
          c.blockedReason ?? "",
        ]),
      )}\n\n${auditTable(outcome.events)}\n\n${outcome.calls} assignment call(s) sent for run ${run.runId}\n`,
    );
  }
  if (outcome.stopped) {
    process.stderr.write(`wshub: ${outcome.stopped.message}\n`);
    return EXIT.GUARD_RAIL;
  }
  return outcome.events.some((e) => e.action === "failed") ? EXIT.RUN_FAILED : EXIT.OK;
}

async function runToAssign(ctx: HubContext, runId: string | undefined): Promise<RunRecord> {
  if (runId) {
    const run = await ctx.runs.getRun(runId);
    if (!run) throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} does not exist`, { runId });
    return run;
  }
  const latest = (await ctx.runs.listRuns(20)).find((r) => r.status === "succeeded" || r.status === "partial");
  if (!latest) throw new WshubError(ERROR_CODES.NO_COVERAGE, "no finished run to act on: run `wshub run` first", {});
  return latest;
}
