import { assignmentModeFor, descendantPolicies, isAllowed, type AssignmentSettings } from "../assignment-plan.js";
import type { AssignmentMode } from "../config.js";
import type { OrgAccount } from "../organization.js";
import type { AssignmentTarget } from "../ports.js";
import type { WsComputer, WsPolicy } from "../workload-security.js";

export interface RecommendedAssignment {
  mode: "plan" | "apply" | "off";
  target: AssignmentTarget;
  /** Recommended rules not yet effective on the computer, ascending. */
  ruleIds: number[];
  /** Why nothing is sent (not allowed, no policy, a policy reaching accounts outside the allow-list). */
  blockedReason?: string;
  alsoAffects: { computerIds: number[]; accountIds: string[] };
}

/**
 * A recommendation scan's rules through the assignment guard rails (docs/assignment.md): the account's mode, the
 * allow-list, the configured target, and a policy change's reach checked against the allow-list.
 */
export function planRecommendedAssignment(input: {
  account: OrgAccount;
  organization: readonly OrgAccount[];
  computer: WsComputer;
  recommendedRuleIds: number[];
  /** For a policy target: every computer and the policy tree (the blast radius). */
  fleet: WsComputer[];
  policies: WsPolicy[];
  tenantMode: AssignmentMode | undefined;
  settings: AssignmentSettings;
}): RecommendedAssignment {
  const { computer, settings } = input;
  const effective = new Set(computer.ipsRuleIds);
  const ruleIds = [...new Set(input.recommendedRuleIds)].filter((id) => !effective.has(id)).sort((a, b) => a - b);
  const target: AssignmentTarget =
    settings.target === "computer" ? { kind: "computer", id: computer.id } : { kind: "policy", id: computer.policyId };
  const mode = assignmentModeFor(input.account, input.tenantMode, settings);
  const alsoAffects =
    target.kind === "policy"
      ? reach(target.id, computer.id, input.fleet, input.policies)
      : { computerIds: [], accountIds: [] };
  const planned = { mode, target, ruleIds, alsoAffects };
  if (!isAllowed(input.account, settings.allow))
    return { ...planned, blockedReason: "not-allowed: the account is not in the assignment allow-list" };
  if (target.kind === "policy" && target.id === 0)
    return { ...planned, blockedReason: "no-policy: the computer has no policy; choose target computer for it" };
  const known = new Map(input.organization.map((a) => [a.id, a]));
  const outside = alsoAffects.accountIds.filter((id) => {
    const account = known.get(id);
    return !account || !isAllowed(account, settings.allow);
  });
  if (outside.length > 0)
    return {
      ...planned,
      blockedReason: `policy ${target.id} also reaches accounts outside the allow-list: ${outside.join(", ")}`,
    };
  return planned;
}

function reach(
  policyId: number,
  self: number,
  fleet: WsComputer[],
  policies: WsPolicy[],
): RecommendedAssignment["alsoAffects"] {
  const reached = descendantPolicies(policyId, policies);
  const others = fleet.filter((c) => reached.has(c.policyId) && c.id !== self);
  return {
    computerIds: others.map((c) => c.id).sort((a, b) => a - b),
    accountIds: [...new Set(others.flatMap((c) => (c.awsAccountId ? [c.awsAccountId] : [])))].sort(),
  };
}
