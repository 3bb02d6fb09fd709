import type { AuditSignalRef } from "../audit.js";
import type { Finding } from "../finding.js";
import type { Severity } from "../severity.js";

/** The security services whose finding events wshub reacts to. */
export const SIGNAL_SOURCES = ["guardduty", "macie", "inspector"] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

export interface SignalBucket {
  name: string;
  arn: string;
  /** The KMS key of the bucket's default encryption, when it is SSE-KMS (access then also needs kms:Decrypt). */
  kmsKeyId?: string;
}

/**
 * One security finding, normalised from its event (integrations-notes §0): the member account always comes from the
 * finding body, never from the event envelope (a delegated administrator's copy carries its own account there).
 */
export interface SecuritySignal {
  source: SignalSource;
  findingId: string;
  /** ISO 8601: the finding's own update time (with source and id: the idempotency key). */
  updatedAt: string;
  accountId: string;
  region: string;
  /** The finding type, e.g. `Backdoor:EC2/C&CActivity.B!DNS`, `Policy:IAMUser/S3BucketPublic`, `PACKAGE_VULNERABILITY`. */
  type: string;
  title: string;
  severity: Severity;
  /** EC2 instances the finding names (GuardDuty, Inspector); empty for Macie. */
  instanceIds: string[];
  /** Macie: the bucket the finding is about. */
  bucket?: SignalBucket;
  /** Inspector: the vulnerability id (CVE) from packageVulnerabilityDetails. */
  cve?: string;
  /** Inspector: the finding as the weekly run stores it. */
  finding?: Finding;
}

/** Why an event is acknowledged without action; each is audited as `rejected` with its reason. */
export const REJECT_REASONS = [
  "unknown-shape",
  "no-instance",
  "not-in-organization",
  "no-tenant",
  "type-ignored",
  "finding-closed",
  "duplicate",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  detail: string;
}

/** An event, parsed: a signal, or why it is none. */
export type ParsedEvent = { ok: true; signal: SecuritySignal } | { ok: false; rejection: Rejection };

/** At-least-once delivery: the same (source, finding, update) acts once. */
export interface IdempotencyKey {
  source: SignalSource;
  findingId: string;
  updatedAt: string;
}

export function idempotencyKeyOf(signal: Pick<SecuritySignal, "source" | "findingId" | "updatedAt">): IdempotencyKey {
  return { source: signal.source, findingId: signal.findingId, updatedAt: signal.updatedAt };
}

/** What every audit event caused by the signal carries (the `FINDING#` index answers "what did wshub do because of X"). */
export function signalRef(signal: Pick<SecuritySignal, "source" | "findingId" | "updatedAt" | "type">): AuditSignalRef {
  return { source: signal.source, findingId: signal.findingId, updatedAt: signal.updatedAt, type: signal.type };
}

/** GuardDuty's numeric severity (0.1–8.9, 9+ for attack sequences) in wshub's words (GuardDuty user guide bands). */
export function guardDutySeverity(score: number): Severity {
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  return score > 0 ? "LOW" : "INFORMATIONAL";
}

/** Macie's `severity.description` (Low, Medium, High). */
export function macieSeverity(description: string | undefined): Severity {
  const upper = (description ?? "").toUpperCase();
  return upper === "HIGH" || upper === "MEDIUM" || upper === "LOW" ? upper : "UNTRIAGED";
}

/** The type's family, the part before the first `/` (`Backdoor:EC2`); the retired sample compared whole types. */
export function typeFamily(type: string): string {
  const slash = type.indexOf("/");
  return slash < 0 ? type : type.slice(0, slash);
}
