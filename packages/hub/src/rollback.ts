import {
  changeOf,
  ERROR_CODES,
  newRunId,
  summarizeError,
  WshubError,
  type AssignmentTarget,
  type AuditEvent,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import { AuditRecorder, type AuditFields, type OutcomeFields } from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { withTenantLeases } from "./run-leases.js";
import { tenantOpener } from "./tenants.js";
import { rollbackWebAcls } from "./waf-rollback.js";

export interface RollbackOutcome {
  rollbackRunId: string;
  events: AuditEvent[];
  /** DELETE calls sent. */
  calls: number;
}

type Removal = { ruleId: number; keep?: string };

/**
 * Undo what a run assigned: remove, target by target, the rules that run added, except those a later run also
 * assigned there (still needed) and those no longer present. Removal is one DELETE per rule, which never clobbers an
 * assignment made by someone else in between (a PUT of the whole set could), each written ahead like any change.
 */
export async function rollbackRun(ctx: HubContext, runId: string, actor: string): Promise<RollbackOutcome> {
  const trail = await ctx.audit.query({ runId });
  const applied = trail.filter((e) => e.action === "applied" && changeOf(e) === "ips-rules");
  const webAcls = trail.filter((e) => e.action === "applied" && changeOf(e) === "webacl-rule-groups");
  if (applied.length === 0 && webAcls.length === 0)
    throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} applied no assignment`, { runId });
  const run = { runId: newRunId(ctx.clock.now()), actor };
  const recorder = new AuditRecorder(ctx, run, "rollback");
  const tenants = [...new Set(applied.map((e) => e.tenant))];
  const api = tenantOpener(ctx);
  let calls = 0;
  if (webAcls.length > 0) calls += await rollbackWebAcls(ctx, recorder, webAcls, runId);
  if (applied.length > 0)
    await withTenantLeases(ctx, run, tenants, undefined, async (guard) => {
      for (const events of groupByTarget(applied).values()) {
        guard.assertHeld();
        calls += await rollbackTarget(ctx, recorder, events, await api(events[0]?.tenant ?? ""), runId);
      }
    });
  return { rollbackRunId: run.runId, events: recorder.events, calls };
}

/** One target: decide per rule, then remove each rule written ahead; one event per applied event it undoes. */
async function rollbackTarget(
  ctx: HubContext,
  recorder: AuditRecorder,
  events: AuditEvent[],
  api: WorkloadSecurityTenantApi,
  runId: string,
): Promise<number> {
  const first = events[0];
  if (!first || typeof first.targetId !== "number" || first.targetKind === "webacl") return 0;
  const target: AssignmentTarget = {
    kind: first.targetKind === "computer" ? "computer" : "policy",
    id: first.targetId,
  };
  const stillNeeded = await laterAssignments(ctx, first, runId);
  const present = new Set(await api.directRuleIds(target));
  const removals: Removal[] = unique(events.flatMap((e) => e.ruleIds)).map((ruleId) =>
    stillNeeded.has(ruleId)
      ? { ruleId, keep: "a later run assigned it too" }
      : !present.has(ruleId)
        ? { ruleId, keep: "no longer assigned" }
        : { ruleId },
  );
  const kept = removals.filter((r) => r.keep);
  if (kept.length > 0) await recorder.record(skippedRemovals(events, kept));
  let calls = 0;
  for (const removal of removals.filter((r) => !r.keep)) {
    calls++;
    await recorder.audited(
      events.filter((e) => e.ruleIds.includes(removal.ruleId)).map((e) => undoFields(e, [removal.ruleId])),
      () => api.removeRule(target, removal.ruleId),
      (result): OutcomeFields =>
        !result.ok
          ? { action: "rollback-failed", reason: `failed: ${summarizeError(result.error).message}` }
          : result.value.includes(removal.ruleId)
            ? {
                action: "rollback-failed",
                reason: "the answer still lists it",
                answer: { status: 200, assignedRuleIds: result.value },
              }
            : { action: "rolled-back", answer: { status: 200, assignedRuleIds: result.value } },
    );
  }
  return calls;
}

/** The fields of an applied event, turned into the undoing of some of its rules. */
function undoFields(event: AuditEvent, ruleIds: number[]): AuditFields {
  const {
    eventId: _e,
    runId,
    at: _at,
    actor: _actor,
    mode: _mode,
    answer: _answer,
    reason: _reason,
    intentId: _i,
    reconciled: _r,
    ...fields
  } = event;
  const keep = (i: number) => ruleIds.includes(event.ruleIds[i] ?? -1);
  return {
    ...fields,
    action: "intent",
    changeId: `${event.changeId}#rollback`,
    ruleIds,
    ruleIdentifiers: event.ruleIdentifiers.filter((_, i) => keep(i)),
    ruleNames: event.ruleNames.filter((_, i) => keep(i)),
    rollbackOf: runId,
  };
}

function skippedRemovals(events: AuditEvent[], kept: Removal[]): AuditFields[] {
  return events.flatMap((event) => {
    const mine = kept.filter((r) => event.ruleIds.includes(r.ruleId));
    if (mine.length === 0) return [];
    return [
      {
        ...undoFields(
          event,
          mine.map((r) => r.ruleId),
        ),
        action: "rollback-skipped" as const,
        reason: mine.map((r) => `rule ${r.ruleId}: ${r.keep}`).join("; "),
      },
    ];
  });
}

/** Rules later runs applied on the same target and did not roll back since. */
async function laterAssignments(ctx: HubContext, event: AuditEvent, runId: string): Promise<Set<number>> {
  const needed = new Set<number>();
  const history = await ctx.audit.query({ tenant: event.tenant, since: event.at });
  const sameTarget = history.filter(
    (e) => e.targetKind === event.targetKind && e.targetId === event.targetId && e.runId !== runId,
  );
  const rolledBack = new Set(
    sameTarget.flatMap((e) => (e.action === "rolled-back" && e.rollbackOf ? [e.rollbackOf] : [])),
  );
  for (const later of sameTarget) {
    if (later.action === "applied" && later.at >= event.at && !rolledBack.has(later.runId))
      for (const id of later.ruleIds) needed.add(id);
  }
  return needed;
}

function groupByTarget(events: AuditEvent[]): Map<string, AuditEvent[]> {
  const groups = new Map<string, AuditEvent[]>();
  for (const event of events) {
    const key = `${event.tenant}#${event.targetKind}-${event.targetId}`;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return groups;
}

function unique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
