import {
  addedRulesOf,
  ERROR_CODES,
  summarizeError,
  WshubError,
  type AuditEvent,
  type WafAccess,
  type WebAclWrite,
} from "@wshub/core";
import type { AuditFields, AuditRecorder, CallResult, OutcomeFields } from "./audit-recorder.js";
import type { HubContext } from "./context.js";

/**
 * Undo a run's WebACL changes, WebACL by WebACL, each written ahead and sent with the lock token (re-read on a
 * conflict like any WAF write). When the rules are still as the apply left them, the stored before-state is written
 * back exactly; when someone changed them since, only the rules the apply added are removed, their change is kept
 * (never clobbered by the old rules), and the outcome records `exact: false` with the reason.
 */
export async function rollbackWebAcls(
  ctx: HubContext,
  recorder: AuditRecorder,
  applied: AuditEvent[],
  runId: string,
): Promise<number> {
  const waf: WafAccess | undefined = ctx.waf;
  if (!waf)
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      "rolling back WebACL changes needs the WAF access: waf.mode is off (or organization mode lacks collection.memberRole)",
      { runId },
    );
  let calls = 0;
  for (const event of applied) {
    const added = addedRulesOf(event);
    const after = event.details?.["rulesAfter"];
    const undo = {
      rulesBefore: String(event.details?.["rulesBefore"] ?? "[]"),
      ...(typeof after === "string" ? { rulesAfter: after } : {}),
      addedNames: added,
    };
    const writer = await waf.writerFor(event.accountId, event.region);
    const result = await recorder.audited(
      [undoFields(event, runId)],
      () => writer.undoRules(String(event.targetId), undo),
      (r): OutcomeFields => rollbackOutcome(r, added),
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

function rollbackOutcome(result: CallResult<WebAclWrite & { exact: boolean }>, added: string[]): OutcomeFields {
  if (!result.ok) return { action: "rollback-failed", reason: `failed: ${summarizeError(result.error).message}` };
  const { exact, after } = result.value;
  return {
    action: "rolled-back",
    answer: { status: 200 },
    ...(exact
      ? {}
      : { reason: "not exact: the WebACL changed since the apply; only wshub's rules were removed, the change kept" }),
    details: { removedRules: added, exact, rulesRestored: after.rulesDocument, lockToken: after.lockToken },
  };
}
