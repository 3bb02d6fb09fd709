import {
  mapWithConcurrency,
  summarizeError,
  type AccountCoverage,
  type AuditEvent,
  type OrgAccount,
  type RunRecord,
  type RunTrigger,
} from "@wshub/core";
import { collectAccounts, skippedAccountRecord } from "./collect.js";
import type { HubContext } from "./context.js";
import { evaluateTenant, type TenantEvaluation } from "./evaluate.js";
import { planAccounts, type PlannedAccount } from "./plan-accounts.js";
import { reportAccount, reportMeta, reportOrganization } from "./report.js";
import { finishRun, startRun } from "./run-lifecycle.js";

export interface RunOptions {
  trigger?: RunTrigger;
  /** Called after each tenant is evaluated (assignment hooks in here); returns audit events to report. */
  afterTenant?: (evaluation: TenantEvaluation, accounts: PlannedAccount[], run: RunRecord) => Promise<AuditEvent[]>;
  /** Skip reports and e-mail (collection and evaluation only). */
  skipReports?: boolean;
}

export interface RunOutcome {
  run: RunRecord;
  coverage: AccountCoverage[];
  evaluations: TenantEvaluation[];
  assignmentEvents: AuditEvent[];
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

  let run = await startRun(ctx, options.trigger ?? "cli");
  let planned: PlannedAccount[];
  try {
    const listing = await timed("organization", () => ctx.organization.listOrganization());
    planned = planAccounts(listing, ctx.config);
  } catch (error) {
    const summary = summarizeError(error);
    run = await finishRun(ctx, run.runId, [{ scope: "organization", subject: "organization", ...summary }]);
    return { run, coverage: [], evaluations: [], assignmentEvents: [], stageMs };
  }
  const assessable = planned.filter((p) => p.skip === undefined);
  ctx.progress.accountsPlanned(assessable.length);
  await Promise.all(planned.filter((p) => p.skip !== undefined).map((p) => ctx.runs.putAccountRun(skippedAccountRecord(run.runId, p))));

  await timed("collect", () => collectAccounts(ctx, run.runId, assessable));

  const byTenant = groupByTenant(assessable);
  const assignmentEvents: AuditEvent[] = [];
  const evaluations = await timed("evaluate", () =>
    mapWithConcurrency([...byTenant.entries()], 2, async ([tenant, accounts]) => {
      const evaluation = await evaluateTenant(
        ctx,
        run.runId,
        tenant,
        accounts.map((p) => p.account),
        { includePolicies: ctx.config.assignment.mode !== "off" || ctx.config.tenants.some((t) => t.assignmentMode && t.assignmentMode !== "off") },
      );
      if (options.afterTenant) assignmentEvents.push(...(await options.afterTenant(evaluation, accounts, run)));
      return evaluation;
    }),
  );
  const coverage = evaluations.flatMap((e) => e.coverage);

  if (!options.skipReports) {
    const accountsById = new Map<string, OrgAccount>(assessable.map((p) => [p.account.id, p.account]));
    const meta = await reportMeta(ctx, run.runId);
    await timed("report", () =>
      mapWithConcurrency(coverage, 4, (accountCoverage) =>
        reportAccount(ctx, run.runId, accountsById.get(accountCoverage.accountId) as OrgAccount, {
          coverage: accountCoverage,
          assignmentEvents: assignmentEvents.filter((e) => e.accountId === accountCoverage.accountId),
          meta,
        }),
      ),
    );
    run = await finishRun(ctx, run.runId);
    await timed("rollup", () => reportOrganization(ctx, run.runId, assignmentEvents));
  } else {
    run = await finishRun(ctx, run.runId);
  }
  return { run, coverage, evaluations, assignmentEvents, stageMs };
}

export function groupByTenant(accounts: PlannedAccount[]): Map<string | null, PlannedAccount[]> {
  const groups = new Map<string | null, PlannedAccount[]>();
  for (const planned of accounts) {
    const list = groups.get(planned.tenant.tenant);
    if (list) list.push(planned);
    else groups.set(planned.tenant.tenant, [planned]);
  }
  return groups;
}
