import {
  changeOf,
  summarizeError,
  type AssignmentTarget,
  type AuditApiAnswer,
  type AuditChange,
  type AuditEvent,
  type WorkloadSecurityTenantApi,
} from "@wshub/core";
import { AuditRecorder, type OutcomeFields, type RecorderRun } from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { withTenantLeases } from "./run-leases.js";
import { tenantOpener } from "./tenants.js";

/** What the target's live state says about an intent: did the change land? */
export interface Verdict {
  landed: boolean;
  answer?: AuditApiAnswer;
  reason: string;
}

export interface VerifierContext {
  ctx: HubContext;
  tenantApi(tenant: string): Promise<WorkloadSecurityTenantApi>;
  /** One read per key within a pass (several intents of one change share a target). */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export type IntentVerifier = (vc: VerifierContext, intent: AuditEvent) => Promise<Verdict>;

/** How far back `reconcile` looks for intents without outcome, unless told. */
export const RECONCILE_WINDOW_DAYS = 14;

/** One verifier per kind of change; a kind without one stays unresolved (and is reported) rather than guessed. */
export const INTENT_VERIFIERS: Partial<Record<AuditChange, IntentVerifier>> = {
  "ips-rules": verifyIpsRules,
};

export interface ReconcileOutcome {
  /** The outcomes appended. */
  resolved: AuditEvent[];
  /** Intents no verifier could settle (no verifier for the kind, or the target could not be read). */
  unsettled: { intent: AuditEvent; reason: string }[];
}

/**
 * After a crash: find the intents of these tenants that have no outcome, read each target's live state, and append
 * what actually happened (`reconciled: true`), in the intent's own run so rollback of that run sees it. The caller
 * holds the tenants' leases, so no live writer's intent is mistaken for a crashed one.
 */
export async function reconcileIntents(
  ctx: HubContext,
  run: RecorderRun,
  tenants: string[],
  options: { since?: string } = {},
): Promise<ReconcileOutcome> {
  const since = options.since ?? new Date(ctx.clock.now().getTime() - RECONCILE_WINDOW_DAYS * 86_400_000).toISOString();
  const recorder = new AuditRecorder(ctx, run, "reconcile");
  const reads = new Map<string, Promise<unknown>>();
  const vc: VerifierContext = {
    ctx,
    tenantApi: tenantOpener(ctx),
    once: <T>(key: string, read: () => Promise<T>) => {
      const known = reads.get(key) ?? read();
      reads.set(key, known);
      return known as Promise<T>;
    },
  };
  const outcome: ReconcileOutcome = { resolved: [], unsettled: [] };
  for (const tenant of tenants) {
    for (const intent of await ctx.audit.unresolvedIntents(tenant, since)) {
      const verifier = INTENT_VERIFIERS[changeOf(intent)];
      const verdict = verifier
        ? await verifier(vc, intent).catch((error: unknown) => summarizeError(error).message)
        : `no verifier for ${changeOf(intent)} changes`;
      if (typeof verdict === "string") {
        outcome.unsettled.push({ intent, reason: verdict });
        ctx.logger.warn("intent left unresolved", { intent: intent.eventId, reason: verdict });
        continue;
      }
      outcome.resolved.push(...(await recorder.resolve([{ intent, outcome: reconciledOutcome(intent, verdict) }])));
    }
  }
  return outcome;
}

function reconciledOutcome(intent: AuditEvent, verdict: Verdict): OutcomeFields {
  const undoing = intent.mode === "rollback";
  const action = undoing ? (verdict.landed ? "rolled-back" : "rollback-failed") : verdict.landed ? "applied" : "failed";
  return {
    action,
    mode: "reconcile",
    reconciled: true,
    reason: `reconciled after an interruption: ${verdict.reason}`,
    ...(verdict.answer ? { answer: verdict.answer } : {}),
  };
}

/** An IPS assignment landed when every rule of the intent is assigned on the target; a removal when none is. */
async function verifyIpsRules(vc: VerifierContext, intent: AuditEvent): Promise<Verdict> {
  if (typeof intent.targetId !== "number" || (intent.targetKind !== "computer" && intent.targetKind !== "policy"))
    return { landed: false, reason: `target ${intent.targetKind} ${intent.targetId} is not an IPS target` };
  const target: AssignmentTarget = { kind: intent.targetKind, id: intent.targetId };
  const assigned = await vc.once(`ips#${intent.tenant}#${intent.targetKind}-${intent.targetId}`, async () =>
    (await vc.tenantApi(intent.tenant)).directRuleIds(target),
  );
  const present = intent.ruleIds.filter((id) => assigned.includes(id));
  const answer = { status: 200, assignedRuleIds: assigned };
  if (intent.mode === "rollback")
    return present.length === 0
      ? { landed: true, answer, reason: `rule(s) ${intent.ruleIds.join(", ")} are no longer assigned` }
      : { landed: false, answer, reason: `rule(s) ${present.join(", ")} are still assigned` };
  return present.length === intent.ruleIds.length
    ? {
        landed: true,
        answer,
        reason: `rule(s) ${intent.ruleIds.join(", ")} are assigned on ${target.kind} ${target.id}`,
      }
    : {
        landed: false,
        answer,
        reason: `rule(s) ${intent.ruleIds.filter((id) => !present.includes(id)).join(", ")} are not assigned`,
      };
}

/** `wshub assign --reconcile`: settle every configured tenant's unresolved intents, holding their leases. */
export async function reconcileTenants(
  ctx: HubContext,
  run: RecorderRun,
  options: { tenants?: string[]; since?: string; waitMs?: number } = {},
): Promise<ReconcileOutcome> {
  const tenants = options.tenants ?? ctx.config.tenants.map((t) => t.name);
  return withTenantLeases(ctx, run, tenants, options.waitMs, () =>
    reconcileIntents(ctx, run, tenants, options.since === undefined ? {} : { since: options.since }),
  );
}
