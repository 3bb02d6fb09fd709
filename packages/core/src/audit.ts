/**
 * The append-only audit trail of every change wshub makes to a customer's system. Changes are written ahead: an
 * `intent` event is appended before the API call and an outcome (`applied` / `failed`, or `rolled-back` /
 * `rollback-failed`) carrying the intent's id after it, so a crash in between leaves an intent without outcome, which
 * reconciliation resolves later from the target's live state. One event per (change, motivating instance): a change is
 * one API call on one target; when a policy change serves several instances, each gets its own event carrying the same
 * `changeId`, so "what happened to instance X" needs no join.
 */
export const AUDIT_ACTIONS = [
  "planned",
  "intent",
  "applied",
  "failed",
  "skipped",
  "rejected",
  "rolled-back",
  "rollback-failed",
  "rollback-skipped",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What kind of change an event is about; events written before kinds existed are IPS rule assignments. */
export const AUDIT_CHANGES = [
  "ips-rules",
  "recommendation-scan",
  "integrity-scan",
  "webacl-rule-groups",
  "config-evaluations",
  "notice",
  "signal",
] as const;
export type AuditChange = (typeof AUDIT_CHANGES)[number];

export type AuditMode = "plan" | "apply" | "rollback" | "reconcile";
export type AuditTargetKind = "computer" | "policy" | "webacl" | "config-rule" | "recipients" | "signal";

/** The outcomes that complete an intent. */
export const OUTCOME_ACTIONS: ReadonlySet<AuditAction> = new Set([
  "applied",
  "failed",
  "rolled-back",
  "rollback-failed",
]);

export interface AuditApiAnswer {
  /** HTTP status of the call (0: no answer, e.g. a network error or a crash). */
  status: number;
  /** The rule IDs the API listed as assigned after the call. */
  assignedRuleIds?: number[];
  message?: string;
}

/** The security signal (finding) that caused a change. */
export interface AuditSignalRef {
  source: "guardduty" | "macie" | "inspector" | "config";
  findingId: string;
  updatedAt: string;
  type?: string;
}

export interface AuditEvent {
  /** Unique across invocations: `<runId>#<invocation token>#<seq>` (see auditEventId). */
  eventId: string;
  /** A weekly run, a rollback, or one reaction / check that made changes. */
  runId: string;
  /** ISO 8601: when this event was written. */
  at: string;
  /** The principal that ran it (STS caller ARN). */
  actor: string;
  mode: AuditMode;
  action: AuditAction;
  /** Absent on events written before change kinds existed: `ips-rules`. */
  change?: AuditChange;
  /** Groups the events of one API call. */
  changeId: string;
  /** The Workload Security tenant ("" when the change concerns none). */
  tenant: string;
  accountId: string;
  region: string;
  instanceId?: string;
  computerId?: number;
  /** The computer's policy (for a policy target it is the target). */
  policyId?: number;
  targetKind: AuditTargetKind;
  targetId: number | string;
  ruleIds: number[];
  ruleIdentifiers: string[];
  ruleNames: string[];
  cves: string[];
  findingArns: string[];
  /** For a policy change: the other computers and accounts the change reaches. */
  alsoAffects?: { computerIds: number[]; accountIds: string[] };
  answer?: AuditApiAnswer;
  /** Why skipped, failed or rejected, in words. */
  reason?: string;
  /** For rollbacks: the run whose change is undone. */
  rollbackOf?: string;
  signal?: AuditSignalRef;
  /** On an outcome: the intent it completes. */
  intentId?: string;
  /** The outcome was established after a crash, from the target's live state. */
  reconciled?: boolean;
  /** When one change had more CVEs and rules than one event can index, it is written as parts. */
  part?: { index: number; of: number };
  /** Kind-specific facts (e.g. WebACL rule groups added, evaluation counts). */
  details?: Record<string, string | number | boolean | string[] | number[]>;
}

export interface AuditQuery {
  runId?: string;
  accountId?: string;
  tenant?: string;
  instanceId?: string;
  cve?: string;
  /** The public rule number (identifier), e.g. "1011002". */
  ruleIdentifier?: string;
  /** Every event caused by this security finding. */
  findingId?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export const AUDIT_SELECTORS = [
  "runId",
  "accountId",
  "tenant",
  "instanceId",
  "cve",
  "ruleIdentifier",
  "findingId",
] as const;

export interface AuditStore {
  /** Append events; each is written only if its key does not exist yet (nothing is ever updated or deleted). */
  append(events: AuditEvent[]): Promise<void>;
  /** Served by a key or an index, never a scan; newest first. Exactly one selector of AUDIT_SELECTORS. */
  query(query: AuditQuery): Promise<AuditEvent[]>;
  /** Intents of a tenant ("" for changes that concern none) written in [since, until] that have no outcome yet. */
  unresolvedIntents(tenant: string, since: string, until?: string): Promise<AuditEvent[]>;
}

/** Unique across invocations (plan and apply of one run, retries, Lambda re-invocations): the token is random. */
export function auditEventId(runId: string, invocation: string, sequence: number): string {
  return `${runId}#${invocation}#${String(sequence).padStart(6, "0")}`;
}

export function changeOf(event: Pick<AuditEvent, "change">): AuditChange {
  return event.change ?? "ips-rules";
}

/**
 * DynamoDB writes an event and its index items in one transaction of at most 100 items: the primary item, one item per
 * CVE and per rule identifier, one for the finding that caused it and one for an intent or its outcome.
 */
export const MAX_AUDIT_ITEMS = 100;
const FIXED_ITEMS = 3;

export function auditItemCount(event: Pick<AuditEvent, "cves" | "ruleIdentifiers">): number {
  return FIXED_ITEMS + new Set(event.cves).size + new Set(event.ruleIdentifiers).size;
}

type Splittable = Pick<AuditEvent, "cves" | "ruleIds" | "ruleIdentifiers" | "ruleNames" | "findingArns" | "part">;

/** An event that would need more index items than one transaction holds becomes parts, rules and CVEs spread over them. */
export function splitForIndex<T extends Splittable>(event: T): T[] {
  if (auditItemCount(event) <= MAX_AUDIT_ITEMS) return [event];
  // Each part takes a ceiling share of both lists: leave room for the two roundings.
  const room = MAX_AUDIT_ITEMS - FIXED_ITEMS - 2;
  const of = Math.ceil((event.cves.length + event.ruleIds.length) / room);
  const perPart = (length: number) => Math.ceil(length / of);
  const slice = <V>(values: V[], index: number) =>
    values.slice(index * perPart(values.length), (index + 1) * perPart(values.length));
  return Array.from({ length: of }, (_, index) => ({
    ...event,
    cves: slice(event.cves, index),
    ruleIds: slice(event.ruleIds, index),
    ruleIdentifiers: slice(event.ruleIdentifiers, index),
    ruleNames: slice(event.ruleNames, index),
    findingArns: slice(event.findingArns, index),
    part: { index: index + 1, of },
  }));
}

/**
 * The events a report shows: outcomes, plans and skips; an intent only while it has no outcome (its result is not
 * known yet). Skips because the change was already effective are left out (nothing happened).
 */
export function reportableAuditEvents(events: AuditEvent[]): AuditEvent[] {
  const resolved = new Set(events.flatMap((e) => (e.intentId ? [e.intentId] : [])));
  return events.filter((e) =>
    e.action === "intent"
      ? !resolved.has(e.eventId)
      : !(e.action === "skipped" && e.reason?.startsWith("already-effective")),
  );
}
