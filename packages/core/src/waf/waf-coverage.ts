import type { ProtectedLookup } from "./waf-instances.js";
import { classifyInstance, groupKey, groupsForClasses, uniqueGroups } from "./waf-classify.js";
import { INSTANCE_CLASSES, VENDOR_GROUP_PATTERNS, type InstanceClass, type ManagedGroupRef } from "./waf-data.js";

/** The WebACL a resource names: a WAFv2 ARN, or a WAF Classic id (Classic ended 2025-09-30; reported as such). */
export type WebAclRef = { kind: "wafv2"; arn: string } | { kind: "classic"; id: string };

/** An internet entry point: an ALB (regional) or a CloudFront distribution (global), and the instances behind it. */
export interface WafFrontDoor {
  kind: "alb" | "cloudfront";
  arn: string;
  name: string;
  accountId: string;
  region: string;
  internetFacing: boolean;
  webAcl?: WebAclRef;
  /** EC2 instances behind it (target groups → target health; a distribution through the ALBs its origins name). */
  instanceIds: string[];
}

export interface WebAclRule {
  name: string;
  priority: number;
  /** Set when the rule's statement is a ManagedRuleGroupStatement. */
  managedGroup?: ManagedGroupRef;
}

export interface WebAclState {
  arn: string;
  name: string;
  rules: WebAclRule[];
}

export type WebAclRead = { ok: true; acl: WebAclState } | { ok: false; reason: string };

export type WafStatus =
  "no-webacl" | "waf-classic" | "webacl-unreadable" | "missing-groups" | "covered" | "no-protected-instance";

export interface WafRow {
  accountId: string;
  region: string;
  resourceKind: WafFrontDoor["kind"];
  resourceArn: string;
  resourceName: string;
  internetFacing: boolean;
  webAclKind: "wafv2" | "classic" | "none";
  /** The WAFv2 ARN or the Classic id ("" when none). */
  webAcl: string;
  instanceIds: string[];
  /** Instances behind it that Workload Security protects (a computer exists). */
  protectedInstanceIds: string[];
  policies: string[];
  classes: InstanceClass[];
  presentGroups: ManagedGroupRef[];
  recommendedGroups: ManagedGroupRef[];
  missingGroups: ManagedGroupRef[];
  /** Recommended but not listed by ListAvailableManagedRuleGroups: never added. */
  unavailableGroups: ManagedGroupRef[];
  status: WafStatus;
  /** First in the sheet: internet-facing, in front of protected instances, with no WebACL at all. */
  flagged: boolean;
  reason: string;
}

export interface WafCoverageInput {
  doors: WafFrontDoor[];
  /** Keyed by WebACL ARN. */
  webAcls: ReadonlyMap<string, WebAclRead>;
  /** Keyed by instance id: the protected ones only. */
  protectedInstances: ProtectedLookup;
  /** What ListAvailableManagedRuleGroups lists for the scope (absent: not checked, every group taken as available). */
  available?: { regional?: ManagedGroupRef[]; cloudfront?: ManagedGroupRef[] };
}

/** One row per front door, flagged rows first, then by status and resource. */
export function evaluateWafCoverage(input: WafCoverageInput): WafRow[] {
  return input.doors.map((door) => rowOf(input, door)).sort(byPriority);
}

const STATUS_ORDER: WafStatus[] = [
  "no-webacl",
  "waf-classic",
  "webacl-unreadable",
  "missing-groups",
  "covered",
  "no-protected-instance",
];

function byPriority(a: WafRow, b: WafRow): number {
  if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
  const status = STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
  if (status !== 0) return status;
  return a.accountId.localeCompare(b.accountId) || a.resourceArn.localeCompare(b.resourceArn);
}

function rowOf(input: WafCoverageInput, door: WafFrontDoor): WafRow {
  const instances = door.instanceIds.flatMap((id) => input.protectedInstances.get(id) ?? []);
  const classes = unionClasses(instances.map((i) => classifyInstance(i)));
  const platform = instances.find((i) => i.platform)?.platform;
  const available = door.kind === "alb" ? input.available?.regional : input.available?.cloudfront;
  const wanted = withVendorGroups(groupsForClasses(classes, platform), classes, available);
  const read = door.webAcl?.kind === "wafv2" ? input.webAcls.get(door.webAcl.arn) : undefined;
  const present = read?.ok ? presentGroups(read.acl) : [];
  const lacking = subtract(wanted, present);
  const unavailable = available ? lacking.filter((g) => !containsGroup(available, g)) : [];
  const row: WafRow = {
    accountId: door.accountId,
    region: door.region,
    resourceKind: door.kind,
    resourceArn: door.arn,
    resourceName: door.name,
    internetFacing: door.internetFacing,
    webAclKind: door.webAcl?.kind ?? "none",
    webAcl: door.webAcl ? (door.webAcl.kind === "wafv2" ? door.webAcl.arn : door.webAcl.id) : "",
    instanceIds: door.instanceIds,
    protectedInstanceIds: instances.map((i) => i.instanceId),
    policies: [...new Set(instances.map((i) => i.policyName))].sort(),
    classes,
    presentGroups: present,
    recommendedGroups: wanted,
    missingGroups: subtract(lacking, unavailable),
    unavailableGroups: unavailable,
    status: "covered",
    flagged: false,
    reason: "",
  };
  return { ...row, ...statusOf(row, door, read) };
}

/** The decision, as a ladder. */
function statusOf(
  row: WafRow,
  door: WafFrontDoor,
  read: WebAclRead | undefined,
): Pick<WafRow, "status" | "flagged" | "reason"> {
  const protectedCount = row.protectedInstanceIds.length;
  if (protectedCount === 0)
    return {
      status: "no-protected-instance",
      flagged: false,
      reason: "no Workload Security-protected instance behind it",
    };
  if (!door.webAcl)
    return {
      status: "no-webacl",
      flagged: door.internetFacing,
      reason: `${door.internetFacing ? "internet-facing, " : ""}no WebACL in front of ${protectedCount} protected instance(s)`,
    };
  if (door.webAcl.kind === "classic")
    return {
      status: "waf-classic",
      flagged: false,
      reason: "WAF Classic WebACL (Classic ended 2025-09-30): migrate to WAFv2",
    };
  if (!read?.ok) return { status: "webacl-unreadable", flagged: false, reason: read?.reason ?? "WebACL not read" };
  if (row.missingGroups.length > 0)
    return {
      status: "missing-groups",
      flagged: false,
      reason: `lacks ${row.missingGroups.map((g) => g.name).join(", ")}`,
    };
  const note =
    row.unavailableGroups.length > 0 ? `; not available to the account: ${names(row.unavailableGroups)}` : "";
  return { status: "covered", flagged: false, reason: `has every recommended group${note}` };
}

export function presentGroups(acl: WebAclState): ManagedGroupRef[] {
  return uniqueGroups(acl.rules.flatMap((r) => (r.managedGroup ? [r.managedGroup] : [])));
}

function withVendorGroups(
  groups: ManagedGroupRef[],
  classes: InstanceClass[],
  available: ManagedGroupRef[] | undefined,
): ManagedGroupRef[] {
  if (!available) return groups;
  const vendor = VENDOR_GROUP_PATTERNS.filter((p) => classes.includes(p.class))
    .filter((p) => containsGroup(available, p))
    .map(({ vendorName, name }) => ({ vendorName, name }));
  return uniqueGroups([...groups, ...vendor]);
}

function unionClasses(lists: InstanceClass[][]): InstanceClass[] {
  const all = new Set(lists.flat());
  return INSTANCE_CLASSES.filter((c) => all.has(c));
}

function containsGroup(groups: ManagedGroupRef[], group: ManagedGroupRef): boolean {
  return groups.some((g) => groupKey(g) === groupKey(group));
}

function subtract(groups: ManagedGroupRef[], remove: ManagedGroupRef[]): ManagedGroupRef[] {
  return groups.filter((g) => !containsGroup(remove, g));
}

function names(groups: ManagedGroupRef[]): string {
  return groups.map((g) => g.name).join(", ");
}
