import type { WafFrontDoor, WebAclRef, WebAclState } from "./waf-coverage.js";
import type { ManagedGroupRef } from "./waf-data.js";
import type { RuleGroupAddition } from "./waf-plan.js";

/** An application load balancer as the inventory reads it (target groups → target health → instances). */
export interface AlbInfo {
  arn: string;
  name: string;
  dnsName: string;
  accountId: string;
  region: string;
  internetFacing: boolean;
  webAcl?: WebAclRef;
  instanceIds: string[];
}

/** A CloudFront distribution (global): its WebACL and the domain names of its origins. */
export interface DistributionInfo {
  arn: string;
  id: string;
  domainName: string;
  accountId: string;
  webAcl?: WebAclRef;
  originDomains: string[];
}

/** A WebACL as read for a change: its rules summarised, its lock token, and its rules exactly as WAF stores them. */
export interface LiveWebAcl extends WebAclState {
  lockToken: string;
  /** The rules as WAF returned them (JSON): the before-state a rollback restores. */
  rulesDocument: string;
}

/** What to change in a WebACL, decided from its state as just read (again on every lock-conflict retry). */
export interface WebAclEdit {
  add: RuleGroupAddition[];
  /** Rules to remove, by name (a rollback removes the rules wshub added). */
  removeNames: string[];
}

export interface WebAclWrite {
  /** false: the edit was empty for the state read (nothing to do), no UpdateWebACL was sent. */
  changed: boolean;
  before: LiveWebAcl;
  after: LiveWebAcl;
  /** UpdateWebACL calls sent (more than one after WAFOptimisticLockException). */
  attempts: number;
}

/** One account's WAF inventory in one region (and CloudFront, which is global), through the member role. */
export interface WafReader {
  loadBalancers(): Promise<AlbInfo[]>;
  /** CloudFront distributions (global: read once per account). */
  distributions(): Promise<DistributionInfo[]>;
  readWebAcl(arn: string): Promise<LiveWebAcl>;
  /** ListAvailableManagedRuleGroups for the scope (REGIONAL here, CLOUDFRONT in us-east-1). */
  availableGroups(scope: "regional" | "cloudfront"): Promise<ManagedGroupRef[]>;
  /** AWS calls made so far. */
  readonly calls: number;
}

/** What a rollback knows of one apply: the rules before and after it, and the names of the rules it added. */
export interface WebAclUndo {
  rulesBefore: string;
  /** Absent for an apply recorded without it: only the added rules are removed. */
  rulesAfter?: string;
  addedNames: string[];
}

export interface WafWriter {
  /** Re-read, decide, update with the lock token; on WAFOptimisticLockException re-read and decide again. */
  editWebAcl(arn: string, decide: (current: LiveWebAcl) => WebAclEdit): Promise<WebAclWrite>;
  /** Replace the rules with a before-state exactly (same lock-token loop). */
  restoreRules(arn: string, rulesDocument: string): Promise<WebAclWrite>;
  /**
   * Undo an apply (same lock-token loop): when the rules are still as the apply left them, write the before-state
   * back exactly; when someone changed them since, remove only the added rules and keep their change (`exact` false).
   */
  undoRules(arn: string, undo: WebAclUndo): Promise<WebAclWrite & { exact: boolean }>;
}

export interface WafAccess {
  readerFor(accountId: string, region: string): Promise<WafReader>;
  /** Through the separate WAF write role (deployed only when apply is chosen). */
  writerFor(accountId: string, region: string): Promise<WafWriter>;
}

/** Join ALBs and distributions into front doors: a distribution reaches the instances of the ALBs its origins name. */
export function frontDoorsOf(albs: AlbInfo[], distributions: DistributionInfo[]): WafFrontDoor[] {
  const byDns = new Map(albs.map((alb) => [normalisedDns(alb.dnsName), alb]));
  const doors: WafFrontDoor[] = albs.map((alb) => ({
    kind: "alb",
    arn: alb.arn,
    name: alb.name,
    accountId: alb.accountId,
    region: alb.region,
    internetFacing: alb.internetFacing,
    ...(alb.webAcl ? { webAcl: alb.webAcl } : {}),
    instanceIds: alb.instanceIds,
  }));
  for (const d of distributions) {
    const origins = d.originDomains.flatMap((domain) => byDns.get(normalisedDns(domain)) ?? []);
    doors.push({
      kind: "cloudfront",
      arn: d.arn,
      name: d.domainName || d.id,
      accountId: d.accountId,
      region: "global",
      internetFacing: true,
      ...(d.webAcl ? { webAcl: d.webAcl } : {}),
      instanceIds: [...new Set(origins.flatMap((alb) => alb.instanceIds))].sort(),
    });
  }
  return doors;
}

/** ALB names answer on `dualstack.` too, and DNS is case-insensitive. */
function normalisedDns(name: string): string {
  return name
    .toLowerCase()
    .replace(/^dualstack\./, "")
    .replace(/\.$/, "");
}

/** A CloudFront `WebACLId` is a WAFv2 ARN, or (WAF Classic) a bare id. */
export function webAclRefOf(id: string | undefined): WebAclRef | undefined {
  if (!id) return undefined;
  return id.startsWith("arn:") ? { kind: "wafv2", arn: id } : { kind: "classic", id };
}
