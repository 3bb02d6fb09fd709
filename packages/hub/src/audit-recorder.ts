import { randomBytes } from "node:crypto";
import {
  auditEventId,
  splitForIndex,
  type AuditEvent,
  type AuditMode,
  type AuditSignalRef,
  type AuditStore,
  type Clock,
} from "@wshub/core";

/** What a caller says about an event; the recorder adds its id, run, time, actor and (unless given) mode. */
export type AuditFields = Omit<AuditEvent, "eventId" | "runId" | "at" | "actor" | "mode"> & { mode?: AuditMode };

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** How an intent ended: the outcome's action and anything it adds or changes (answer, reason, details). */
export type OutcomeFields = Partial<AuditFields> & Pick<AuditEvent, "action">;

export interface RecorderRun {
  runId: string;
  actor: string;
}

/**
 * Appends audit events as they happen, with ids unique across invocations (a random token per recorder, then a
 * sequence). `audited` is the write-ahead path every change to a customer's system takes: the intent is in the trail
 * before the call is made, the outcome after it returns; a crash in between leaves an intent that reconciliation
 * resolves from the target's live state.
 */
export class AuditRecorder {
  readonly events: AuditEvent[] = [];
  private readonly invocation = randomBytes(5).toString("hex");
  private sequence = 0;

  constructor(
    private readonly ctx: { audit: AuditStore; clock: Clock },
    readonly run: RecorderRun,
    private readonly mode: AuditMode,
    /** The security signal that caused every event of this recorder (reactions): stamped on each. */
    private readonly signal?: AuditSignalRef,
  ) {}

  /** Append now (planned, skipped, rejected ...). Events too large for one transaction are written as parts. */
  async record(fields: AuditFields[]): Promise<AuditEvent[]> {
    const events = fields.flatMap((f) => splitForIndex(f)).map((f) => this.stamp(f));
    if (events.length === 0) return events;
    await this.ctx.audit.append(events);
    this.events.push(...events);
    return events;
  }

  /** Intent before the call, outcome after it; the call's failure is an outcome, never thrown past the trail. */
  async audited<T>(
    intents: AuditFields[],
    call: () => Promise<T>,
    outcome: (result: CallResult<T>, intent: AuditEvent) => OutcomeFields,
  ): Promise<CallResult<T>> {
    const written = await this.record(intents.map((intent) => ({ ...intent, action: "intent" })));
    let result: CallResult<T>;
    try {
      result = { ok: true, value: await call() };
    } catch (error) {
      result = { ok: false, error };
    }
    await this.resolve(written.map((intent) => ({ intent, outcome: outcome(result, intent) })));
    return result;
  }

  /** Append the outcome of each intent (after a call, or found by reconciliation). */
  async resolve(outcomes: { intent: AuditEvent; outcome: OutcomeFields }[]): Promise<AuditEvent[]> {
    const events = outcomes.map(({ intent, outcome }) => {
      const { eventId, runId: _runId, at: _at, actor: _actor, mode: _mode, ...fields } = intent;
      return this.stamp({ ...fields, ...outcome, intentId: eventId }, intent.runId);
    });
    if (events.length === 0) return events;
    await this.ctx.audit.append(events);
    this.events.push(...events);
    return events;
  }

  private stamp(fields: AuditFields, runId = this.run.runId): AuditEvent {
    return {
      ...(this.signal ? { signal: this.signal } : {}),
      ...fields,
      eventId: auditEventId(runId, this.invocation, ++this.sequence),
      runId,
      at: this.ctx.clock.now().toISOString(),
      actor: this.run.actor,
      mode: fields.mode ?? this.mode,
    };
  }
}
