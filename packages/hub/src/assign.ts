import {
  answeredStatus,
  assignmentModeFor,
  ERROR_CODES,
  mapWithConcurrency,
  planAssignments,
  summarizeError,
  type AssignmentMode,
  type AssignmentPlan,
  type AuditEvent,
  type AuditSignalRef,
  type CoverageRow,
  type ErrorSummary,
  type OrgAccount,
  type PlannedChange,
  type TenantIndex,
  type WorkloadSecurityTenantApi,
  type WsPolicy,
} from "@wshub/core";
import { changeEvents, changeIdOf, skippedRowFields } from "./assignment-audit.js";
import {
  AuditRecorder,
  type AuditFields,
  type CallResult,
  type OutcomeFields,
  type RecorderRun,
} from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import type { LeaseGuard } from "./lease.js";

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
  /** Every event this assignment appended, in plan order (an intent before its outcome). */
  events: AuditEvent[];
  /** Assignment calls sent (one per changed target). */
  calls: number;
  /** Set when a guard rail stopped the run before any change. */
  stopped?: ErrorSummary;
}

/** Assignment calls in flight at once, across tenants (each tenant's client also keeps its own rate ceiling). */
export const ASSIGNMENT_CONCURRENCY = 4;

/**
 * Plan, and where the mode says so apply, the IPS assignments for a run across tenants: plan everything first (the plan
 * is in the trail before anything changes), stop before any change if the run would touch more targets than allowed,
 * then send one call per changed target, each written ahead: its intent before the call, what the API answered after
 * it (a rule the answer does not list as assigned is a failure). The caller holds the tenants' leases.
 */
export async function assignRun(
  ctx: HubContext,
  run: RecorderRun,
  inputs: TenantAssignmentInput[],
  options: { defaultMode?: AssignmentMode; guard?: LeaseGuard; signal?: AuditSignalRef } = {},
): Promise<AssignmentOutcome> {
  const settings = { ...ctx.config.assignment, ...(options.defaultMode ? { mode: options.defaultMode } : {}) };
  const recorder = new AuditRecorder(ctx, run, "apply", options.signal);
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
  const toApply = plans.flatMap((plan) =>
    plan.changes.filter((c) => c.mode === "apply" && !c.blockedReason).map((change) => ({ plan, change })),
  );
  const overLimit = toApply.length > settings.maxTargetsPerRun;
  const stopped: ErrorSummary | undefined = overLimit
    ? {
        code: ERROR_CODES.GUARD_RAIL_EXCEEDED,
        message: `guard rail: ${toApply.length} targets would change, more than the maximum of ${settings.maxTargetsPerRun}; nothing was changed`,
      }
    : undefined;
  await recorder.record(planEvents(run.runId, plans, settings.target, stopped?.message));
  let calls = 0;
  if (!stopped)
    await mapWithConcurrency(toApply, ASSIGNMENT_CONCURRENCY, ({ plan, change }) => {
      options.guard?.assertHeld();
      calls++;
      return applyChange(recorder, plan.tenant, change, apiOf(inputs, plan.tenant));
    });
  const order = new Map(toApply.map(({ plan, change }, i) => [changeIdOf(run.runId, plan.tenant, change.target), i]));
  const events = [...recorder.events].sort((a, b) => (order.get(a.changeId) ?? -1) - (order.get(b.changeId) ?? -1));
  return { plans, events, calls, ...(stopped ? { stopped } : {}) };
}

/** What the plan says before any call: skipped rows, blocked and plan-only changes, and a guard rail's stop. */
function planEvents(
  runId: string,
  plans: AssignmentPlan[],
  defaultTarget: "policy" | "computer",
  stoppedReason: string | undefined,
): AuditFields[] {
  return plans.flatMap((plan) => [
    ...plan.skipped
      .filter((skipped) => skipped.kind !== "mode-off")
      .map((skipped) => skippedRowFields(runId, plan.tenant, skipped, defaultTarget)),
    ...plan.changes.flatMap((change) => {
      if (change.blockedReason)
        return changeEvents(runId, plan.tenant, change, { action: "skipped", reason: change.blockedReason });
      if (change.mode === "plan") return changeEvents(runId, plan.tenant, change, { action: "planned", mode: "plan" });
      return stoppedReason
        ? changeEvents(runId, plan.tenant, change, { action: "skipped", reason: stoppedReason })
        : [];
    }),
  ]);
}

function apiOf(inputs: TenantAssignmentInput[], tenant: string): WorkloadSecurityTenantApi {
  const input = inputs.find((i) => i.tenant === tenant);
  if (!input) throw new Error(`no live state for tenant ${tenant}`);
  return input.api;
}

/** One target, written ahead: the intent per instance, the call, then what the API answered per instance. */
function applyChange(
  recorder: AuditRecorder,
  tenant: string,
  change: PlannedChange,
  api: WorkloadSecurityTenantApi,
): Promise<CallResult<number[]>> {
  return recorder.audited(
    changeEvents(recorder.run.runId, tenant, change, { action: "intent" }),
    () => api.addRules(change.target, change.ruleIds),
    (result, intent) => assignmentOutcome(result, intent.ruleIds),
  );
}

/** A rule the answer does not list as assigned is a failure. */
export function assignmentOutcome(result: CallResult<number[]>, wanted: number[]): OutcomeFields {
  if (!result.ok) {
    const summary = summarizeError(result.error);
    return {
      action: "failed",
      answer: { status: answeredStatus(result.error), message: summary.message },
      reason: summary.code,
    };
  }
  const present = new Set(result.value);
  const missing = wanted.filter((id) => !present.has(id));
  const answer = { status: 200, assignedRuleIds: result.value };
  return missing.length === 0
    ? { action: "applied", answer }
    : {
        action: "failed",
        answer,
        reason: `the answer does not list rule(s) ${missing.join(", ")} as assigned`,
      };
}
