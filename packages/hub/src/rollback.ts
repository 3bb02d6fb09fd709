import {
  ERROR_CODES,
  newRunId,
  summarizeError,
  WshubError,
  type AssignmentTarget,
  type AuditEvent,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import { AuditRecorder } from "./assign.js";
import type { HubContext } from "./context.js";

export interface RollbackOutcome {
  rollbackRunId: string;
  events: AuditEvent[];
  /** DELETE calls sent. */
  calls: number;
}

/**
 * Undo what a run assigned: remove, target by target, the rules that run added, except those a later run also
 * assigned there (still needed) and those no longer present. Removal is one DELETE per rule, which never clobbers an
 * assignment made by someone else in between (a PUT of the whole set could). Every outcome is an audit event.
 */
export async function rollbackRun(ctx: HubContext, runId: string, actor: string): Promise<RollbackOutcome> {
  const applied = (await ctx.audit.query({ runId })).filter((e) => e.action === "applied");
  if (applied.length === 0)
    throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} applied no assignment`, { runId });
  const rollbackRunId = newRunId(ctx.clock.now());
  const recorder = new AuditRecorder(
    { runId: rollbackRunId, actor },
    ctx.clock.now().toISOString(),
    "policy",
    "rollback",
  );
  let calls = 0;
  for (const [key, events] of groupByTarget(applied)) {
    const first = events[0] as AuditEvent;
    const target: AssignmentTarget = { kind: first.targetKind, id: first.targetId };
    const config = ctx.config.tenants.find((t) => t.name === first.tenant);
    if (!config)
      throw new WshubError(ERROR_CODES.CONFIG_INVALID, `tenant ${first.tenant} is not configured`, {
        tenant: first.tenant,
      });
    const api = ctx.tenantApi(config, await ctx.secrets.readApiKey(config.apiKeySecret));
    const added = unique(events.flatMap((e) => e.ruleIds));
    const stillNeeded = await laterAssignments(ctx, first, runId);
    const present = new Set(await api.directRuleIds(target));
    const results = new Map<number, { ok: boolean; why?: string }>();
    for (const ruleId of added) {
      if (stillNeeded.has(ruleId)) results.set(ruleId, { ok: false, why: "a later run assigned it too" });
      else if (!present.has(ruleId)) results.set(ruleId, { ok: false, why: "no longer assigned" });
      else {
        calls++;
        results.set(ruleId, await removeOne(api, target, ruleId));
      }
    }
    for (const event of events) recordRollback(recorder, event, results, key);
  }
  await ctx.audit.append(recorder.events);
  return { rollbackRunId, events: recorder.events, calls };
}

async function removeOne(
  api: WorkloadSecurityTenantApi,
  target: AssignmentTarget,
  ruleId: number,
): Promise<{ ok: boolean; why?: string }> {
  try {
    const remaining = await api.removeRule(target, ruleId);
    return remaining.includes(ruleId) ? { ok: false, why: "the answer still lists it" } : { ok: true };
  } catch (error) {
    return { ok: false, why: `failed: ${summarizeError(error).message}` };
  }
}

function recordRollback(
  recorder: AuditRecorder,
  event: AuditEvent,
  results: Map<number, { ok: boolean; why?: string }>,
  changeKey: string,
): void {
  const removed = event.ruleIds.filter((id) => results.get(id)?.ok);
  const failed = event.ruleIds.filter(
    (id) => results.get(id)?.why?.startsWith("failed") || results.get(id)?.why?.startsWith("the answer"),
  );
  const action: AuditEvent["action"] =
    failed.length > 0 ? "rollback-failed" : removed.length > 0 ? "rolled-back" : "rollback-skipped";
  const reasons = event.ruleIds
    .filter((id) => !results.get(id)?.ok)
    .map((id) => `rule ${id}: ${results.get(id)?.why ?? "unknown"}`);
  const {
    eventId: _eventId,
    runId: _runId,
    at: _at,
    actor: _actor,
    tenant,
    answer: _answer,
    reason: _reason,
    ...fields
  } = event;
  recorder.push(tenant, {
    ...fields,
    mode: "rollback",
    action,
    changeId: `${changeKey}#rollback`,
    ruleIds: event.ruleIds,
    rollbackOf: event.runId,
    ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
  });
}

/** Rules later runs applied on the same target and did not roll back since. */
async function laterAssignments(ctx: HubContext, event: AuditEvent, runId: string): Promise<Set<number>> {
  const needed = new Set<number>();
  const history = await ctx.audit.query({ tenant: event.tenant, since: event.at });
  const sameTarget = history.filter(
    (e) => e.targetKind === event.targetKind && e.targetId === event.targetId && e.runId !== runId,
  );
  const rolledBackRuns = new Set(
    sameTarget.filter((e) => e.action === "rolled-back" && e.rollbackOf).map((e) => e.rollbackOf as string),
  );
  for (const later of sameTarget) {
    if (later.action === "applied" && later.at >= event.at && !rolledBackRuns.has(later.runId))
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
