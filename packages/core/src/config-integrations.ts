import { z } from "zod";
import { DEFAULT_REACT_CONCURRENCY, MAX_REACT_CONCURRENCY } from "./signals/call-share.js";

/** The integrations' sections of the hub configuration (docs/integrations.md), kept apart from config.ts. */

/** A 12-digit AWS account id (config.ts uses the same field). */
export const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
export const WAF_MODES = ["off", "recommend", "apply"] as const;
export type WafMode = (typeof WAF_MODES)[number];

/** WAF coverage (docs/integrations.md#waf): recommend by default; apply adds missing groups in count mode. */
export const wafSection = z
  .strictObject({
    mode: z.enum(WAF_MODES).default("recommend"),
    /** Guard rail: only these accounts' WebACLs may be changed (empty: none may be changed). */
    allowAccounts: z.array(accountId).default([]),
    /** Guard rail: more WebACLs than this in one run stops the apply before any change. */
    maxWebAclsPerRun: z.number().int().min(1).max(1000).default(10),
    /** The separate WAF write role in each member account (deployed only when apply is chosen). */
    writeRoleName: z.string().min(1).default("wshub-waf-writer"),
    /** No change is made from an inventory older than this (minutes). */
    maxInventoryAgeMinutes: z.number().int().min(1).max(1440).default(60),
  })
  .prefault({});

/** The Config rules' results in the weekly run's account reports (docs/integrations.md#config). */
export const complianceSection = z
  .strictObject({
    /** Evaluate the rules in the weekly run: a Compliance sheet and compliance.csv per account (nothing is put). */
    inRun: z.boolean().default(false),
    /** Each rule's parameters as JSON text, as a Config rule's InputParameters (checked at start-up). */
    rules: z
      .array(z.string().min(2).max(1024))
      .default([
        '{"rule":"ws-agent-active"}',
        '{"rule":"ws-module-on","module":"intrusionPrevention"}',
        '{"rule":"ws-clear-of-warnings"}',
      ]),
  })
  .prefault({});

/** Reactions to GuardDuty, Macie and Inspector finding events (docs/integrations.md). */
export const signalsSection = z
  .strictObject({
    /** DynamoDB table for idempotency, coalescing and notice windows (TTL attribute `expiresAt`). */
    table: z.string().min(3).default("wshub-signals"),
    /** Repeated findings for one computer within this window make one scan. */
    coalesceMinutes: z.number().int().min(0).max(1440).default(60),
    /** How long a (source, finding, update) is remembered as handled. */
    idempotencyDays: z.number().int().min(1).max(90).default(14),
    /** At most one "not protected" notice per instance within this window. */
    noticeWindowHours: z.number().int().min(0).max(168).default(24),
    /** Also publish notices to this SNS topic (hub account). */
    snsTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, "must be an SNS topic ARN")
      .optional(),
    /**
     * The react function's maximum concurrency (the event source mapping's): each invocation keeps a tenant's
     * calls under maxCallsPerMinute / concurrency, so the tenant's ceiling holds across concurrent invocations.
     * Deployed, the stack sets it from `signals.maximumConcurrency` (WSHUB_REACT_CONCURRENCY on the function).
     */
    concurrency: z.number().int().min(1).max(MAX_REACT_CONCURRENCY).default(DEFAULT_REACT_CONCURRENCY),
    /**
     * `apply`: reactions start scans (and assign rules, as `assignment` and its guard rails allow). `plan`: scans and
     * assignments are written to the audit trail as planned, never made; notices still go out. The deployed
     * function reads it from here; `wshub react --plan` is a dry run whatever it says.
     */
    mode: z.enum(["plan", "apply"]).default("apply"),
    /** Run an integrity scan after the recommendation scan where integrity monitoring is on. */
    integrityScan: z.boolean().default(true),
    /** How long to wait for a recommendation scan's result before recording it as pending. */
    recommendationWaitSeconds: z.number().int().min(0).max(900).default(60),
    /** GuardDuty type families (the part before the first `/`) that cause a reaction; others are acknowledged. */
    guardDutyTypes: z
      .array(z.string().min(3))
      .default([
        "Backdoor:EC2",
        "Trojan:EC2",
        "CryptoCurrency:EC2",
        "UnauthorizedAccess:EC2",
        "Recon:EC2",
        "Behavior:EC2",
        "Impact:EC2",
        "Execution:Runtime",
        "PrivilegeEscalation:Runtime",
        "DefenseEvasion:Runtime",
      ]),
  })
  .prefault({});
