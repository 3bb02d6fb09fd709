import {
  appendAll,
  assignmentModeFor,
  auditEventId,
  buildTenantIndex,
  ERROR_CODES,
  mapWithConcurrency,
  planAssignments,
  summarizeError,
  WshubError,
  type AssignmentMode,
  type AssignmentPlan,
  type AuditEvent,
  type CoverageRow,
  type ErrorSummary,
  type OrgAccount,
  type PlannedChange,
  type PlannedInstance,
  type SkippedRow,
  type TenantIndex,
  type WorkloadSecurityTenantApi,
  type WsPolicy,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import { plannedAccountsOf } from "./prepare-run.js";

/** One tenant's live state and the coverage rows to act on. */
export interface TenantAssignmentInput {
  tenant: string;
  api: WorkloadSecurityTenantApi;
  index: TenantIndex;
  policies: WsPolicy[];
  rows: CoverageRow[];
  accounts: OrgAccount[];
}

export interface AssignmentOutcome {
  plans: AssignmentPlan[];
  events: AuditEvent[];
  /** Assignment calls sent (one per changed target). */
  calls: number;
  /** Set when a guard rail stopped the run before any change. */
  stopped?: ErrorSummary;
}

/**
 * Plan, and where the mode says so apply, the IPS assignments for a run across tenants: plan everything first, stop
 * before any change if the run would touch more targets than allowed, then send one call per changed target and record
 * what the API answered (a rule the answer does not list as assigned is a failure). Every outcome is an audit event.
 */
export async function assignRun(
  ctx: HubContext,
  run: { runId: string; actor: string },
  inputs: TenantAssignmentInput[],
  options: { defaultMode?: AssignmentMode } = {},
): Promise<AssignmentOutcome> {
  const settings = { ...ctx.config.assignment, ...(options.defaultMode ? { mode: options.defaultMode } : {}) };
  const recorder = new AuditRecorder(run, ctx.clock.now().toISOString(), settings.target);
  const plans = inputs.map((input) => {
    const tenantMode = ctx.config.tenants.find((t) => t.name === input.tenant)?.assignmentMode;
    return planAssignments({
      tenant: input.tenant,
      rows: input.rows,
      index: input.index,
      policies: input.policies,
      accounts: new Map(input.accounts.map((a) => [a.id, a])),
      modeFor: (account) => assignmentModeFor(account, tenantMode, settings),
      settings,
    });
  });
  for (const plan of plans)
    for (const skipped of plan.skipped) if (skipped.kind !== "mode-off") recorder.skippedRow(plan.tenant, skipped);

  const toApply = plans.flatMap((plan) =>
    plan.changes.filter((c) => c.mode === "apply" && !c.blockedReason).map((change) => ({ plan, change })),
  );
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.blockedReason) recorder.change(plan.tenant, change, "skipped", { reason: change.blockedReason });
      else if (change.mode === "plan") recorder.change(plan.tenant, change, "planned");
    }
  }

  let stopped: ErrorSummary | undefined;
  let calls = 0;
  if (toApply.length > settings.maxTargetsPerRun) {
    const reason = `guard rail: ${toApply.length} targets would change, more than the maximum of ${settings.maxTargetsPerRun}; nothing was changed`;
    stopped = { code: ERROR_CODES.GUARD_RAIL_EXCEEDED, message: reason };
    for (const { plan, change } of toApply) recorder.change(plan.tenant, change, "skipped", { reason });
  } else {
    const apis = new Map(inputs.map((input) => [input.tenant, input.api]));
    // Calls run concurrently; their outcomes are recorded in plan order so the trail does not depend on timing.
    const outcomes = await mapWithConcurrency(toApply, 4, ({ plan, change }) => {
      calls++;
      return applyChange(apis.get(plan.tenant) as WorkloadSecurityTenantApi, change);
    });
    toApply.forEach(({ plan, change }, i) =>
      recordOutcome(recorder, plan.tenant, change, outcomes[i] as ChangeOutcome),
    );
  }
  await ctx.audit.append(recorder.events);
  return { plans, events: recorder.events, calls, ...(stopped ? { stopped } : {}) };
}

type ChangeOutcome = { assigned: number[] } | { error: unknown };

async function applyChange(api: WorkloadSecurityTenantApi, change: PlannedChange): Promise<ChangeOutcome> {
  try {
    return { assigned: await api.addRules(change.target, change.ruleIds) };
  } catch (error) {
    return { error };
  }
}

/** What the API answered, per instance the change served: a rule the answer does not list is a failure. */
function recordOutcome(recorder: AuditRecorder, tenant: string, change: PlannedChange, outcome: ChangeOutcome): void {
  if ("error" in outcome) {
    const summary = summarizeError(outcome.error);
    const status =
      outcome.error instanceof WshubError && typeof outcome.error.details["status"] === "number"
        ? (outcome.error.details["status"] as number)
        : 0;
    for (const instance of change.instances)
      recorder.instance(tenant, change, instance, "failed", {
        answer: { status, message: summary.message },
        reason: summary.code,
      });
    return;
  }
  const present = new Set(outcome.assigned);
  for (const instance of change.instances) {
    const missing = instance.ruleIds.filter((id) => !present.has(id));
    const answer = { status: 200, assignedRuleIds: outcome.assigned };
    if (missing.length === 0) recorder.instance(tenant, change, instance, "applied", { answer });
    else
      recorder.instance(tenant, change, instance, "failed", {
        answer,
        reason: `the answer does not list rule(s) ${missing.join(", ")} as assigned`,
      });
  }
}

/** Builds audit events with unique ids and the fields every event carries. */
export class AuditRecorder {
  readonly events: AuditEvent[] = [];
  private sequence = new Map<string, number>();

  constructor(
    private readonly run: { runId: string; actor: string },
    private readonly at: string,
    private readonly defaultTarget: "policy" | "computer",
    private readonly mode: "plan" | "apply" | "rollback" = "apply",
  ) {}

  change(tenant: string, change: PlannedChange, action: AuditEvent["action"], extra: Partial<AuditEvent> = {}): void {
    for (const instance of change.instances) this.instance(tenant, change, instance, action, extra);
  }

  instance(
    tenant: string,
    change: PlannedChange,
    instance: PlannedInstance,
    action: AuditEvent["action"],
    extra: Partial<AuditEvent> = {},
  ): void {
    const rules = change.rules.filter((rule) => instance.ruleIds.includes(rule.id));
    this.push(tenant, {
      action,
      mode: action === "planned" ? "plan" : this.mode,
      changeId: `${this.run.runId}#${tenant}#${change.changeKey}`,
      accountId: instance.accountId,
      region: instance.region,
      instanceId: instance.instanceId,
      computerId: instance.computerId,
      policyId: instance.policyId,
      targetKind: change.target.kind,
      targetId: change.target.id,
      ruleIds: instance.ruleIds,
      ruleIdentifiers: rules.map((r) => r.identifier),
      ruleNames: rules.map((r) => r.name),
      cves: instance.vulnerabilityIds,
      findingArns: instance.findingArns,
      ...(change.target.kind === "policy" ? { alsoAffects: change.alsoAffects } : {}),
      ...extra,
    });
  }

  skippedRow(tenant: string, skipped: SkippedRow): void {
    const row = skipped.row;
    const computerId = row.computer?.id ?? 0;
    const policyId = row.computer?.policyId ?? 0;
    const targetId = this.defaultTarget === "computer" ? computerId : policyId;
    this.push(tenant, {
      action: "skipped",
      mode: this.mode,
      changeId: `${this.run.runId}#${tenant}#${this.defaultTarget}-${targetId}`,
      accountId: row.accountId,
      region: row.region,
      instanceId: row.instanceId,
      computerId,
      policyId,
      targetKind: this.defaultTarget,
      targetId,
      ruleIds: row.coveringRules.map((r) => r.id),
      ruleIdentifiers: row.coveringRules.map((r) => r.identifier),
      ruleNames: row.coveringRules.map((r) => r.name),
      cves: [row.vulnerabilityId],
      findingArns: row.findingArns,
      reason: `${skipped.kind}: ${skipped.reason}`,
    });
  }

  push(tenant: string, fields: Omit<AuditEvent, "eventId" | "runId" | "at" | "actor" | "tenant">): void {
    const next = (this.sequence.get(tenant) ?? 0) + 1;
    this.sequence.set(tenant, next);
    this.events.push({
      eventId: auditEventId(this.run.runId, tenant, next),
      runId: this.run.runId,
      at: this.at,
      actor: this.run.actor,
      tenant,
      ...fields,
    });
  }
}

/**
 * Inputs for `wshub assign` on a run's stored coverage: each tenant's live state is loaded again, and planning checks
 * the stored `rule-available` rows against it, so a change made since (or by a previous apply) is recorded as
 * already effective and nothing is sent for it.
 */
export async function loadAssignmentInputs(
  ctx: HubContext,
  runId: string,
  accounts: OrgAccount[],
  tenantOf: (accountId: string) => string | null,
): Promise<TenantAssignmentInput[]> {
  const byTenant = new Map<string, OrgAccount[]>();
  for (const account of accounts) {
    const tenant = tenantOf(account.id);
    if (tenant === null) continue;
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), account]);
  }
  const inputs: TenantAssignmentInput[] = [];
  for (const [tenant, tenantAccounts] of byTenant) {
    const config = ctx.config.tenants.find((t) => t.name === tenant);
    if (!config) continue;
    const api = ctx.tenantApi(config, await ctx.secrets.readApiKey(config.apiKeySecret));
    const snapshot = await api.loadSnapshot({ includePolicies: true });
    const index = buildTenantIndex(snapshot);
    const rows: CoverageRow[] = [];
    for (const account of tenantAccounts) {
      const coverage = await ctx.runs.getCoverage(runId, account.id);
      if (coverage) appendAll(rows, coverage.rows);
    }
    inputs.push({ tenant, api, index, policies: snapshot.policies ?? [], rows, accounts: tenantAccounts });
  }
  return inputs;
}

/**
 * `wshub assign` and the assign step of the state machine: the run's planned accounts, each tenant's live state, the
 * stored coverage, then plan (and apply where the mode says so).
 */
export async function assignFromStore(
  ctx: HubContext,
  run: { runId: string; actor: string },
  options: { defaultMode?: AssignmentMode } = {},
): Promise<AssignmentOutcome> {
  const planned = (await plannedAccountsOf(ctx, run.runId)).filter((p) => p.skip === undefined);
  const tenantOf = new Map(planned.map((p) => [p.account.id, p.tenant.tenant]));
  const inputs = await loadAssignmentInputs(
    ctx,
    run.runId,
    planned.map((p) => p.account),
    (id) => tenantOf.get(id) ?? null,
  );
  return assignRun(ctx, run, inputs, options);
}
