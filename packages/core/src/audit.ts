/**
 * The append-only audit trail of IPS assignments. One event per (change, motivating instance): a change is one
 * API call on one target (a computer or a policy); when a policy change serves several instances, each gets its
 * own event carrying the same `changeId` and the same API answer, so "what happened to instance X" needs no join.
 */
export const AUDIT_ACTIONS = [
  "planned",
  "applied",
  "failed",
  "skipped",
  "rolled-back",
  "rollback-failed",
  "rollback-skipped",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditMode = "plan" | "apply" | "rollback";

export interface AuditApiAnswer {
  /** HTTP status of the call (0: no answer, e.g. a network error). */
  status: number;
  /** The rule IDs the API listed as assigned after the call. */
  assignedRuleIds?: number[];
  message?: string;
}

export interface AuditEvent {
  /** Unique: `<runId>#<tenant>#<seq>` with a zero-padded sequence number (see auditEventId). */
  eventId: string;
  runId: string;
  /** ISO 8601. */
  at: string;
  /** The principal that ran it (STS caller ARN). */
  actor: string;
  mode: AuditMode;
  action: AuditAction;
  /** Groups the events of one API call. */
  changeId: string;
  tenant: string;
  accountId: string;
  region: string;
  instanceId: string;
  computerId: number;
  /** The computer's policy (for a policy target it is the target). */
  policyId: number;
  targetKind: "computer" | "policy";
  targetId: number;
  ruleIds: number[];
  ruleIdentifiers: string[];
  ruleNames: string[];
  cves: string[];
  findingArns: string[];
  /** For a policy change: the other computers and accounts the change reaches. */
  alsoAffects?: { computerIds: number[]; accountIds: string[] };
  answer?: AuditApiAnswer;
  /** Why skipped or failed, in words. */
  reason?: string;
  /** For rollbacks: the run whose change is undone. */
  rollbackOf?: string;
}

export interface AuditQuery {
  runId?: string;
  accountId?: string;
  tenant?: string;
  instanceId?: string;
  cve?: string;
  /** The public rule number (identifier), e.g. "1011002". */
  ruleIdentifier?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export interface AuditStore {
  /** Append events; each is written only if its key does not exist yet (nothing is ever updated or deleted). */
  append(events: AuditEvent[]): Promise<void>;
  /** Served by a key or an index, never a scan; newest first. Exactly one of runId/accountId/tenant/instanceId/cve/ruleIdentifier. */
  query(query: AuditQuery): Promise<AuditEvent[]>;
}

/** Unique per run even when tenants are processed by separate invocations: the scope (tenant) is part of it. */
export function auditEventId(runId: string, scope: string, sequence: number): string {
  return `${runId}#${scope}#${String(sequence).padStart(6, "0")}`;
}
