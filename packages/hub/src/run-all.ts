import {
  boundedTasks,
  mapWithConcurrency,
  mapWithinBudget,
  newRunId,
  reportableAuditEvents,
  RUN_LEASE,
  type AccountCoverage,
  type AccountSections,
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
import { exportRun, type ExportOutcome } from "./exports.js";
import { withLeases } from "./lease.js";
import { abandonRun, withTenantLeases } from "./run-leases.js";
import type { PlannedAccount } from "./plan-accounts.js";
import { prepareRun } from "./prepare-run.js";
import { reconcileIntents } from "./reconcile.js";
import { recordReportFailure, reportAccount, reportMeta, reportOrganization } from "./report.js";
import { finishRun } from "./run-lifecycle.js";
import { runAccountSections } from "./run-account-sections.js";
import { applyWafInRun, prereadWaf, reportsWaitForSections, wafInRun } from "./run-sections.js";

/** Tenants evaluated at once (each loads its whole catalog and fleet): their loads overlap each other's evaluation. */
const TENANT_CONCURRENCY = 2;
/**
 * ...while their accounts together stay within this many: a tenant's snapshot grows with its fleet, which grows with
 * its accounts, so large tenants are evaluated one at a time (at L the run peaked at 2.2 GB while two 10,000-computer
 * tenants were evaluated at once, docs/performance.md). The accounts that map to no tenant load nothing.
 */
const TENANT_ACCOUNTS_AT_ONCE = 250;
/** Account reports rendered at once when they wait for assignment. */
const REPORT_CONCURRENCY = 4;
/** How long the assign stage waits for a tenant's lease held by a short writer (a reaction). */
const TENANT_LEASE_WAIT_MS = 60_000;

export interface RunOptions {
  trigger?: RunTrigger;
  /** Wait this long for another run's lease instead of refusing at once. */
  waitMs?: number;
  /** Called once the run holds its lease and has an id (the CLI installs its signal handlers here). */
  onStart?: (runId: string) => void;
  /** Keep every account's coverage rows in the outcome (default true); the CLI keeps only headers when reports render elsewhere. */
  keepRows?: boolean;
  /** Skip reports and e-mail (collection and evaluation only). */
  skipReports?: boolean;
}

export interface RunOutcome {
  run: RunRecord;
  /** Security Hub and archive hand-offs (absent when none is configured). */
  exports?: ExportOutcome;
  coverage: AccountCoverage[];
  evaluations: TenantEvaluation[];
  assignmentEvents: AuditEvent[];
  assignment?: AssignmentOutcome;
  stageMs: Record<string, number>;
}

/**
 * One whole run in one process (the CLI): organization → collection → per-tenant evaluation (and assignment) →
 * reports and e-mail → roll-up, holding the `run` lease throughout so two runs never overlap (a second is refused, or
 * waits with `waitMs`). The Lambda functions call the same steps one account or one tenant at a time.
 */
export async function runHub(ctx: HubContext, options: RunOptions = {}): Promise<RunOutcome> {
  const runId = newRunId(ctx.clock.now());
  const actor = await ctx.identity().then(
    (identity) => identity.arn,
    () => "unknown",
  );
  const holder = { runId, actor, ...(ctx.host ? { where: ctx.host } : {}) };
  return withLeases(
    ctx,
    [RUN_LEASE],
    holder,
    () => {
      options.onStart?.(runId);
      return runStages(ctx, runId, options);
    },
    {
      ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
      onTakeover: (expired) => abandonRun(ctx, expired, runId),
      onRenew: async (expiresAt) => void (await ctx.runs.heartbeat(runId, expiresAt.toISOString())),
    },
  );
}

async function runStages(ctx: HubContext, runId: string, options: RunOptions): Promise<RunOutcome> {
  const stageMs: Record<string, number> = {};
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    ctx.progress.stage(stage);
    ctx.logger.info("stage started", { stage });
    const started = performance.now();
    try {
      return await fn();
    } finally {
      stageMs[stage] = Math.round(performance.now() - started);
      ctx.logger.info("stage finished", { stage, ms: stageMs[stage] });
    }
  };

  const prepared = await timed("organization", () => prepareRun(ctx, options.trigger ?? "cli", runId));
  if ("failed" in prepared) return { run: prepared.run, coverage: [], evaluations: [], assignmentEvents: [], stageMs };
  let run = prepared.run;
  const { assessable, tenants: byTenant } = prepared;

  // The WAF inventory reads other services than collection does: read both at once (an account that turns out
  // unreachable has its inventory read in vain, and never shown).
  const wafReads = wafInRun(ctx)
    ? prereadWaf(
        ctx,
        assessable.map((p) => p.account),
      )
    : undefined;
  // Awaited after collection: handled meanwhile, so a failure is not an unhandled rejection.
  void wafReads?.catch(() => undefined);
  await timed("collect", () => collectAccounts(ctx, run.runId, assessable));
  const inventories = wafReads ? await timed("waf-inventory", () => wafReads) : undefined;

  const assigning = assignmentEnabled(ctx);
  const accountsById = new Map<string, OrgAccount>(assessable.map((p) => [p.account.id, p.account]));
  const meta = await reportMeta(ctx, run.runId);
  const report = async (
    accountId: string,
    accountCoverage: AccountCoverage | undefined,
    events: AuditEvent[] = [],
    sections?: AccountSections,
  ) => {
    const account = accountsById.get(accountId);
    if (!account) return;
    const options = {
      assignmentEvents: events,
      meta,
      ...(accountCoverage ? { coverage: accountCoverage } : {}),
      ...(sections ? { sections } : {}),
    };
    const outcome = ctx.accountReporter
      ? ctx.accountReporter(run.runId, account, options)
      : reportAccount(ctx, run.runId, account, options);
    // One account's report failing (its worker died, its coverage is unreadable) never stops the others.
    await outcome.catch((error: unknown) => recordReportFailure(ctx, run.runId, accountId, error));
  };
  // Without assignment (or a WAF apply) a report needs only its coverage and its sections, known once it is evaluated.
  const pipelined = !assigning && !reportsWaitForSections(ctx) && !options.skipReports;
  // At most REPORT_CONCURRENCY reports in flight: evaluation waits for a slot, so rows awaiting their report never
  // pile up (at L, 1,000 accounts' rows behind one report worker passed a 2 GB heap).
  const reports = boundedTasks(REPORT_CONCURRENCY);
  const perAccount = runAccountSections(ctx, { runId: run.runId, ...(inventories ? { inventories } : {}) });
  const shown = new Map<string, AccountSections>();
  const evaluations = await timed(pipelined ? "evaluate+report" : "evaluate", async () => {
    const bounds = { limit: TENANT_CONCURRENCY, budget: TENANT_ACCOUNTS_AT_ONCE, weight: tenantWeight };
    const done = await mapWithinBudget([...byTenant.entries()], bounds, ([tenant, accounts]) => {
      const sections = perAccount.forTenant(tenant);
      const planned = new Map(accounts.map((p) => [p.account.id, p]));
      const evaluation = evaluateTenant(
        ctx,
        run.runId,
        tenant,
        accounts.map((p) => p.account),
        {
          // The WAF sheet names each instance's policy and its class (from the tenant's application types).
          includePolicies: assigning || wafInRun(ctx),
          applicationTypes: sections.waf !== undefined,
          ...(sections.waf ? { onLoaded: sections.waf.onLoaded } : {}),
          // Assignment plans from the rows in memory; otherwise they may go once stored.
          keepRows: assigning || options.keepRows !== false,
          // A report worker reads the rows from the store: none wait here for its slot.
          handRows: ctx.accountReporter === undefined,
          onAccount: async (accountId: string, coverage: AccountCoverage | undefined) => {
            const account = planned.get(accountId);
            const now = account ? await sections.sections(account) : undefined;
            if (pipelined) await reports.push(() => report(accountId, coverage, [], now));
            else if (now) shown.set(accountId, now);
          },
        },
      );
      // Only assignment plans from the tenant's snapshot: otherwise let it go with the tenant, not with the run.
      return assigning ? evaluation : evaluation.then(withoutSnapshot);
    });
    await reports.drain();
    return done;
  });
  const coverage = evaluations.flatMap((e) => e.coverage);

  let assignment: AssignmentOutcome | undefined;
  if (assigning) {
    const inputs = evaluations.flatMap((e) => assignmentInput(e, byTenant.get(e.tenant) ?? []));
    const tenants = inputs.map((input) => input.tenant);
    assignment = await timed("assign", () =>
      withTenantLeases(ctx, run, tenants, TENANT_LEASE_WAIT_MS, async (guard) => {
        await reconcileIntents(ctx, run, tenants);
        return assignRun(ctx, run, inputs, { guard });
      }),
    );
  }
  const assignmentEvents = reportableAuditEvents(assignment?.events ?? []);
  const wafApplied = ctx.config.waf.mode === "apply" ? await timed("waf-apply", () => applyWafInRun(ctx, run)) : [];

  if (!options.skipReports && !pipelined)
    await timed("report", () =>
      mapWithConcurrency(coverage, REPORT_CONCURRENCY, (accountCoverage) =>
        // With assignment the rows are kept in memory (keepRows), unchanged accounts included.
        report(
          accountCoverage.accountId,
          accountCoverage,
          assignmentEvents.filter((e) => e.accountId === accountCoverage.accountId),
          shown.get(accountCoverage.accountId),
        ),
      ),
    );
  const exports = ctx.securityHub || ctx.archive ? await timed("exports", () => exportRun(ctx, run.runId)) : undefined;
  run = await finishRun(ctx, run.runId, [
    ...assignmentErrors(assignment),
    ...perAccount.errors,
    ...wafApplied,
    ...(exports?.errors ?? []),
  ]);
  if (!options.skipReports) await timed("rollup", () => reportOrganization(ctx, run.runId, assignmentEvents));
  return {
    run,
    coverage,
    evaluations,
    assignmentEvents,
    ...(assignment ? { assignment } : {}),
    ...(exports ? { exports } : {}),
    stageMs,
  };
}

function tenantWeight([tenant, accounts]: [string | null, PlannedAccount[]]): number {
  return tenant === null ? 0 : accounts.length;
}

function withoutSnapshot({ tenant, coverage, apiCalls, error }: TenantEvaluation): TenantEvaluation {
  return { tenant, coverage, apiCalls, ...(error ? { error } : {}) };
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
