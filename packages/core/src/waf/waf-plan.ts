import { groupKey } from "./waf-classify.js";
import { presentGroups, type WafRow, type WebAclState } from "./waf-coverage.js";
import type { ManagedGroupRef } from "./waf-data.js";

/** Prefix of the rules wshub adds: how its own rules are told apart from the customer's. */
export const WSHUB_RULE_PREFIX = "wshub-";

/** One managed rule group to add, after every existing rule, in count mode (OverrideAction Count). */
export interface RuleGroupAddition {
  ruleName: string;
  priority: number;
  group: ManagedGroupRef;
}

/** The groups one WebACL should gain, gathered from every resource it protects. */
export interface WebAclTarget {
  webAclArn: string;
  accountId: string;
  region: string;
  groups: ManagedGroupRef[];
  /** The resources whose rows asked for them. */
  resourceArns: string[];
}

/** Group the rows' missing groups by WebACL (one ACL may sit in front of several resources). */
export function webAclTargets(rows: WafRow[]): WebAclTarget[] {
  const targets = new Map<string, WebAclTarget>();
  for (const row of rows) {
    if (row.status !== "missing-groups" || row.webAclKind !== "wafv2") continue;
    const target = targets.get(row.webAcl) ?? {
      webAclArn: row.webAcl,
      accountId: row.accountId,
      region: row.region,
      groups: [],
      resourceArns: [],
    };
    const known = new Set(target.groups.map(groupKey));
    target.groups.push(...row.missingGroups.filter((g) => !known.has(groupKey(g))));
    target.resourceArns.push(row.resourceArn);
    targets.set(row.webAcl, target);
  }
  return [...targets.values()];
}

/**
 * The additions for a WebACL as it is now (computed again on every re-read after a lock conflict): groups already
 * referenced are left out, each new rule takes the next priority after the highest existing one and a name no
 * existing rule has. Existing rules and the default action are never touched.
 */
export function planAdditions(acl: WebAclState, groups: ManagedGroupRef[]): RuleGroupAddition[] {
  const present = new Set(presentGroups(acl).map(groupKey));
  const names = new Set(acl.rules.map((r) => r.name));
  let priority = acl.rules.reduce((max, r) => Math.max(max, r.priority), -1);
  return groups
    .filter((group) => !present.has(groupKey(group)))
    .map((group) => {
      let ruleName = `${WSHUB_RULE_PREFIX}${group.name}`;
      for (let n = 2; names.has(ruleName); n++) ruleName = `${WSHUB_RULE_PREFIX}${group.name}-${n}`;
      names.add(ruleName);
      return { ruleName, priority: ++priority, group };
    });
}
