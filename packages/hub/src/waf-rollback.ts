import { ERROR_CODES, summarizeError, WshubError, type AuditEvent, type WafAccess } from "@wshub/core";
import type { AuditFields, AuditRecorder, OutcomeFields } from "./audit-recorder.js";
import type { HubContext } from "./context.js";

/**
 * Undo a run's WebACL changes: remove, WebACL by WebACL, the rules that run added (by name, as its outcome recorded
 * them), re-reading on a lock conflict like any WAF write. When nobody changed the WebACL since, what remains is the
 * stored before-state exactly (`exact` says whether it is); a change someone else made in between is kept, never
 * clobbered by writing the old rules back.
 */
export async function rollbackWebAcls(
  ctx: HubContext,
  recorder: AuditRecorder,
  applied: AuditEvent[],
  runId: string,
): Promise<number> {
  const waf: WafAccess | undefined = ctx.waf;
  if (!waf)
    throw new WshubError(ERROR_CODES.CONFIG_INVALID, "rolling back WebACL changes needs the WAF access", { runId });
  let calls = 0;
  for (const event of applied) {
    const added = stringList(event.details?.["addedRules"]);
    const before = String(event.details?.["rulesBefore"] ?? "");
    const writer = await waf.writerFor(event.accountId, event.region);
    const result = await recorder.audited(
      [undoFields(event, runId)],
      () => writer.editWebAcl(String(event.targetId), () => ({ add: [], removeNames: added })),
      (r): OutcomeFields =>
        !r.ok
          ? { action: "rollback-failed", reason: `failed: ${summarizeError(r.error).message}` }
          : {
              action: "rolled-back",
              answer: { status: 200 },
              details: { removedRules: added, exact: r.value.after.rulesDocument === before },
            },
    );
    calls += result.ok ? result.value.attempts : 1;
  }
  return calls;
}

function undoFields(event: AuditEvent, runId: string): AuditFields {
  const {
    eventId: _e,
    runId: _r,
    at: _at,
    actor: _a,
    mode: _m,
    answer: _ans,
    reason: _re,
    intentId: _i,
    ...fields
  } = event;
  return { ...fields, action: "intent", changeId: `${event.changeId}#rollback`, rollbackOf: runId };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
