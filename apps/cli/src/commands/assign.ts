import { ERROR_CODES, newRunId, WshubError, type RunRecord } from "@wshub/core";
import { assignFromStore, reconcileTenants, type HubContext } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { auditTable, textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";
import { waitMsOf } from "../wait.js";

export interface AssignCommandOptions extends GlobalOptions {
  plan?: boolean;
  apply?: boolean;
  reconcile?: boolean;
  run?: string;
  wait?: number | boolean;
}

/**
 * `wshub assign --plan|--apply [--run ID]`: act on a run's stored coverage (default: the latest finished run),
 * checked against each tenant's live state. `--plan` records what would change; `--apply` changes it; both first
 * settle what an interrupted writer left behind, as `--reconcile` alone does.
 * The command line guarantees exactly one of the mode flags (program.ts, exactlyOneOf).
 */
export async function assignCommand(options: AssignCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const waitMs = waitMsOf(options.wait);
  const identity = await ctx.identity();
  if (options.reconcile) return reconcileCommand(ctx, identity.arn, waitMs, options.output === "json");
  const run = await runToAssign(ctx, options.run);
  const outcome = await assignFromStore(
    ctx,
    { runId: run.runId, actor: identity.arn },
    { defaultMode: options.apply ? "apply" : "plan", ...(waitMs === undefined ? {} : { waitMs }) },
  );
  const changes = outcome.plans.flatMap((plan) => plan.changes.map((change) => ({ tenant: plan.tenant, ...change })));
  if (options.output === "json") {
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

/** `--reconcile`: what interrupted writers left without outcome, settled from the targets' live state. */
async function reconcileCommand(
  ctx: HubContext,
  actor: string,
  waitMs: number | undefined,
  json: boolean,
): Promise<number> {
  const outcome = await reconcileTenants(
    ctx,
    { runId: newRunId(ctx.clock.now()), actor },
    waitMs === undefined ? {} : { waitMs },
  );
  if (json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else
    process.stdout.write(
      `${auditTable(outcome.resolved)}\n\n${outcome.resolved.length} intent(s) settled, ${outcome.unsettled.length} left unresolved${outcome.unsettled.map((u) => `\n  ${u.intent.eventId}: ${u.reason}`).join("")}\n`,
    );
  return outcome.unsettled.length > 0 ? EXIT.RUN_FAILED : EXIT.OK;
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
