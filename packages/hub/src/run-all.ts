import {
  mapWithConcurrency,
  type AccountCoverage,
  type AuditEvent,
  type OrgAccount,
  type RunError,
  type RunRecord,
  type RunTrigger,
} from "@wshub/core";
import { assignRun, type AssignmentOutcome, type TenantAssignmentInput } from "./assign.js";
import { collectAccounts } from "./collect.js";
import type { HubContext } from "./context.js";
import { evaluateTenant, type TenantEvaluation } from "./evaluate.js";
import type { PlannedAccount } from "./plan-accounts.js";
import { prepareRun } from "./prepare-run.js";
import { reportAccount, reportMeta, reportOrganization } from "./report.js";
import { finishRun } from "./run-lifecycle.js";

export interface RunOptions {
  trigger?: RunTrigger;
  /** Keep every account's coverage rows in the outcome (default true); the CLI keeps only headers when reports render elsewhere. */
  keepRows?: boolean;
  /** Skip reports and e-mail (collection and evaluation only). */
  skipReports?: boolean;
}

export interface RunOutcome {
  run: RunRecord;
  coverage: AccountCoverage[];
  evaluations: TenantEvaluation[];
  assignmentEvents: AuditEvent[];
  assignment?: AssignmentOutcome;
  stageMs: Record<string, number>;
}

/**
 * One whole run in one process (the CLI): organization → collection → per-tenant evaluation (and assignment) →
 * reports and e-mail → roll-up. The Lambda functions call the same steps one account or one tenant at a time.
 */
export async function runHub(ctx: HubContext, options: RunOptions = {}): Promise<RunOutcome> {
  const stageMs: Record<string, number> = {};
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    ctx.progress.stage(stage);
    const started = performance.now();
    try {
      return await fn();
    } finally {
      stageMs[stage] = Math.round(performance.now() - started);
    }
  };

  const prepared = await timed("organization", () => prepareRun(ctx, options.trigger ?? "cli"));
  if ("failed" in prepared) return { run: prepared.run, coverage: [], evaluations: [], assignmentEvents: [], stageMs };
  let run = prepared.run;
  const { assessable, tenants: byTenant } = prepared;

  await timed("collect", () => collectAccounts(ctx, run.runId, assessable));

  const assigning = assignmentEnabled(ctx);
  const accountsById = new Map<string, OrgAccount>(assessable.map((p) => [p.account.id, p.account]));
  const meta = await reportMeta(ctx, run.runId);
  const report = (accountId: string, accountCoverage: AccountCoverage | undefined, events: AuditEvent[] = []) => {
    const account = accountsById.get(accountId) as OrgAccount;
    const options = { assignmentEvents: events, meta, ...(accountCoverage ? { coverage: accountCoverage } : {}) };
    const outcome = ctx.accountReporter
      ? ctx.accountReporter(run.runId, account, options)
      : reportAccount(ctx, run.runId, account, options);
    return outcome.then(() => undefined);
  };
  // Without assignment an account's report needs nothing but its own coverage: report it as soon as it is evaluated.
  const pipelined = !assigning && !options.skipReports;
  const reports: Promise<void>[] = [];
  const evaluations = await timed(pipelined ? "evaluate+report" : "evaluate", async () => {
    const done = await mapWithConcurrency([...byTenant.entries()], 2, ([tenant, accounts]) =>
      evaluateTenant(
        ctx,
        run.runId,
        tenant,
        accounts.map((p) => p.account),
        {
          includePolicies: assigning,
          // Assignment plans from the rows in memory; otherwise they may go once stored.
          keepRows: assigning || options.keepRows !== false,
          ...(pipelined
            ? {
                onAccount: async (accountId: string, coverage: AccountCoverage | undefined) =>
                  void reports.push(report(accountId, coverage)),
              }
            : {}),
        },
      ),
    );
    await Promise.all(reports);
    return done;
  });
  const coverage = evaluations.flatMap((e) => e.coverage);

  let assignment: AssignmentOutcome | undefined;
  if (assigning) {
    const inputs = evaluations.flatMap((e) => assignmentInput(e, byTenant.get(e.tenant) ?? []));
    assignment = await timed("assign", () => assignRun(ctx, run, inputs));
  }
  const assignmentEvents =
    assignment?.events.filter((e) => e.action !== "skipped" || !e.reason?.startsWith("already-effective")) ?? [];

  if (!options.skipReports) {
    if (!pipelined)
      await timed("report", () =>
        mapWithConcurrency(coverage, 4, (accountCoverage) =>
          // With assignment the rows are kept in memory (keepRows), unchanged accounts included.
          report(
            accountCoverage.accountId,
            accountCoverage,
            assignmentEvents.filter((e) => e.accountId === accountCoverage.accountId),
          ),
        ),
      );
    run = await finishRun(ctx, run.runId, assignmentErrors(assignment));
    await timed("rollup", () => reportOrganization(ctx, run.runId, assignmentEvents));
  } else {
    run = await finishRun(ctx, run.runId, assignmentErrors(assignment));
  }
  return { run, coverage, evaluations, assignmentEvents, ...(assignment ? { assignment } : {}), stageMs };
}

/** Assignment happens when any tenant, account or OU rule (or the default) is not `off`. */
export function assignmentEnabled(ctx: HubContext): boolean {
  const settings = ctx.config.assignment;
  return (
    settings.mode !== "off" ||
    ctx.config.tenants.some((t) => t.assignmentMode !== undefined && t.assignmentMode !== "off") ||
    Object.values(settings.accountModes).some((m) => m !== "off") ||
    Object.values(settings.organizationalUnitModes).some((m) => m !== "off")
  );
}

function assignmentInput(evaluation: TenantEvaluation, accounts: PlannedAccount[]): TenantAssignmentInput[] {
  if (evaluation.tenant === null || !evaluation.api || !evaluation.index) return [];
  return [
    {
      tenant: evaluation.tenant,
      api: evaluation.api,
      index: evaluation.index,
      policies: evaluation.snapshot?.policies ?? [],
      rows: evaluation.coverage.flatMap((c) => c.rows),
      accounts: accounts.map((p) => p.account),
    },
  ];
}

function assignmentErrors(assignment: AssignmentOutcome | undefined): RunError[] {
  const errors: RunError[] = [];
  if (assignment?.stopped) errors.push({ scope: "assignment", subject: "run", ...assignment.stopped });
  for (const event of assignment?.events ?? []) {
    if (event.action === "failed")
      errors.push({
        scope: "assignment",
        subject: `${event.tenant}/${event.targetKind}-${event.targetId}/${event.instanceId}`,
        code: "ASSIGNMENT_FAILED",
        message: event.reason ?? "failed",
      });
  }
  return errors;
}
