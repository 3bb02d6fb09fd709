import type { AssignmentTarget, WorkloadSecurityTenantApi } from "../ports.js";
import type { PolicyDocument, RoleIdentity } from "./macie-access.js";
import type { IpsRule, WsComputer, WsPolicy } from "../workload-security.js";
import type { IdempotencyKey } from "./signal.js";

export type ScanKind = "recommendation" | "integrity";

/** What a computer's last recommendation scan found (GET /computers/{id}/intrusionprevention/assignments). */
export interface RecommendationResult {
  /** `lastRecommendationScanDate` (ms); absent before the first scan. */
  scannedAt?: number;
  recommendedToAssignRuleIds: number[];
}

/** A tenant as the reactions use it: look-ups of one computer or one CVE, never the whole fleet per event. */
export interface SignalTenantApi {
  readonly tenant: string;
  /** HTTP requests sent so far, retries included. */
  readonly calls: number;
  /** The computer carrying the instance (the most recent agent communication first), with IPS and integrity state. */
  computerForInstance(instanceId: string): Promise<WsComputer | undefined>;
  /** A run-now scheduled task on one computer; the task's ID. */
  startScan(kind: ScanKind, computerId: number): Promise<number | undefined>;
  recommendations(computerId: number): Promise<RecommendationResult>;
  /** The catalog's rules that list the vulnerability id. */
  rulesForVulnerability(vulnerabilityId: string): Promise<IpsRule[]>;
  addRules(target: AssignmentTarget, ruleIds: number[]): Promise<number[]>;
  /** Policies and computers, for the blast-radius guard rail of a policy change (loaded once per tenant and batch). */
  policies(): Promise<WsPolicy[]>;
  computers(): Promise<WsComputer[]>;
  /** The same tenant as the weekly run's assignment path uses it (assignRun), sharing this one's transport. */
  readonly writer: WorkloadSecurityTenantApi;
}

/** The IAM, S3 and EC2 reads of the Macie workflow, in the bucket owner's account (through its member role). */
export interface BucketAccessReader {
  roles(): Promise<RoleIdentity[]>;
  bucketPolicy(bucket: string): Promise<PolicyDocument | undefined>;
  instancesWithProfiles(profileArns: string[]): Promise<string[]>;
}

/** An optional extra channel for notices (SNS in the hub account). */
export interface NoticeTopic {
  publish(subject: string, message: string): Promise<void>;
}

export type ClaimAnswer = "claimed" | "done" | "in-progress";

/** Idempotency, coalescing and notice windows (DynamoDB conditional puts with a TTL). */
export interface SignalStore {
  /** Claim an event: `done` = handled before (a duplicate); `in-progress` = another invocation holds it now. */
  claimEvent(key: IdempotencyKey, options: { now: Date; holdSeconds: number; keepDays: number }): Promise<ClaimAnswer>;
  completeEvent(key: IdempotencyKey, options: { now: Date; keepDays: number }): Promise<void>;
  /** Forget a claim whose work failed, so the redelivery acts. */
  releaseEvent(key: IdempotencyKey): Promise<void>;
  /** Open a window (`scan` per tenant and computer, `notice` per account and instance); false while one is open. */
  claimWindow(kind: "scan" | "notice", key: string, options: { now: Date; until: Date }): Promise<boolean>;
  releaseWindow(kind: "scan" | "notice", key: string): Promise<void>;
}
