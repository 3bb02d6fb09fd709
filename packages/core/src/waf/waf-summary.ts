import type { AuditEvent } from "../audit.js";
import type { RunError } from "../run.js";
import type { ConfigEvaluation } from "../compliance/evaluations.js";
import type { WafRow } from "./waf-coverage.js";

/** The WAF counts of one account (or the organization) in the roll-up. */
export interface WafCounts {
  /** ALBs checked. */
  albs: number;
  /** CloudFront distributions checked. */
  distributions: number;
  /** Internet-facing, in front of protected instances, with no WebACL at all. */
  flagged: number;
  /** Managed rule groups recommended and missing from the WebACLs (not yet added). */
  groupsMissing: number;
  /** Managed rule groups added (count mode) by this run's apply. */
  groupsAdded: number;
}

export function emptyWafCounts(): WafCounts {
  return { albs: 0, distributions: 0, flagged: 0, groupsMissing: 0, groupsAdded: 0 };
}

/** Counts from the rows of the check and the `applied` events of its apply (each names the rules it added). */
export function wafCountsOf(rows: readonly WafRow[], events: readonly AuditEvent[] = []): WafCounts {
  const added = events
    .filter((e) => e.action === "applied" && e.change === "webacl-rule-groups")
    .reduce((sum, e) => sum + addedRulesOf(e).length, 0);
  const missing = rows.reduce((sum, r) => sum + r.missingGroups.length, 0);
  return {
    albs: rows.filter((r) => r.resourceKind === "alb").length,
    distributions: rows.filter((r) => r.resourceKind === "cloudfront").length,
    flagged: rows.filter((r) => r.flagged).length,
    groupsMissing: Math.max(0, missing - added),
    groupsAdded: added,
  };
}

export function addWafCounts(total: WafCounts, more: WafCounts): WafCounts {
  return {
    albs: total.albs + more.albs,
    distributions: total.distributions + more.distributions,
    flagged: total.flagged + more.flagged,
    groupsMissing: total.groupsMissing + more.groupsMissing,
    groupsAdded: total.groupsAdded + more.groupsAdded,
  };
}

/** The rule names an applied WebACL event recorded as added. */
export function addedRulesOf(event: Pick<AuditEvent, "details">): string[] {
  const value = event.details?.["addedRules"];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** One instance's result for one Config rule, as `wshub compliance` and the account reports show it. */
export interface ComplianceRow extends ConfigEvaluation {
  rule: string;
  accountId: string;
  region: string;
  tenant: string | null;
}

/** What an account's report shows beyond its coverage: the WAF check's rows and the Config rules' results. */
export interface AccountSections {
  waf?: WafRow[];
  compliance?: ComplianceRow[];
}

/**
 * One account's WAF check as a run stores it (`WAF#<account>`): its rows for the report, and what an apply's guard
 * rails need of its inventory (when it was read, whether it was complete, which WebACLs were read).
 */
export interface AccountWafResult {
  accountId: string;
  rows: WafRow[];
  readAt: string;
  partial: boolean;
  webAclsRead: string[];
  /** Set when no change may be made from this result (its tenant could not be read: instances look unprotected). */
  recommendOnly?: string;
  errors: RunError[];
  /** AWS calls of the inventory. */
  calls: number;
}
