import type { AssignmentMode, HubConfig } from "./config.js";
import type { CoverageRow, RuleRef } from "./coverage.js";
import type { OrgAccount } from "./organization.js";
import { isInOrganizationalUnit } from "./organization.js";
import type { AssignmentTarget } from "./ports.js";
import type { TenantIndex } from "./tenant-index.js";
import { isAgentRunning, type WsPolicy } from "./workload-security.js";

export type AssignmentSettings = HubConfig["assignment"];

/** Which mode applies to an account: its own rule, else the deepest OU rule, else its tenant's, else the default. */
export function assignmentModeFor(
  account: OrgAccount,
  tenantMode: AssignmentMode | undefined,
  settings: AssignmentSettings,
): AssignmentMode {
  const own = settings.accountModes[account.id];
  if (own) return own;
  for (let i = account.ouPath.length - 1; i >= 0; i--) {
    const mode = settings.organizationalUnitModes[account.ouPath[i]?.id ?? ""];
    if (mode) return mode;
  }
  return tenantMode ?? settings.mode;
}

/** The allow-list guard rail: an account may be changed only if it is listed, under a listed OU, or carries a listed tag value. */
export function isAllowed(account: OrgAccount, allow: AssignmentSettings["allow"]): boolean {
  if (allow.accounts.includes(account.id)) return true;
  if (allow.organizationalUnits.some((ou) => isInOrganizationalUnit(account, ou))) return true;
  return Object.entries(allow.tags).some(
    ([key, values]) => account.tags[key] !== undefined && values.includes(account.tags[key] as string),
  );
}

export interface PlannedInstance {
  accountId: string;
  region: string;
  instanceId: string;
  computerId: number;
  policyId: number;
  /** The rows (vulnerabilities) on this instance the change serves. */
  vulnerabilityIds: string[];
  findingArns: string[];
  ruleIds: number[];
}

export interface PlannedChange {
  changeKey: string;
  /** `apply` only when every account the change serves is in apply mode; otherwise the change is only planned. */
  mode: "plan" | "apply";
  /** Set when the change must not be made (a shared policy reaches accounts outside the allow-list). */
  blockedReason?: string;
  target: AssignmentTarget;
  /** Rule IDs to add in the one call for this target, ascending. */
  ruleIds: number[];
  rules: RuleRef[];
  instances: PlannedInstance[];
  /** For a policy: every other computer (and its account) that inherits from the policy and so gains the rules. */
  alsoAffects: { computerIds: number[]; accountIds: string[] };
}

export interface SkippedRow {
  row: CoverageRow;
  reason: string;
  /** "already" rows are now shielded: the change was made earlier (a re-run sends nothing). */
  kind: "already-effective" | "not-allowed" | "agent-not-active" | "no-policy" | "mode-off" | "no-computer";
}

export interface AssignmentPlan {
  tenant: string;
  changes: PlannedChange[];
  skipped: SkippedRow[];
}

/**
 * Plan the IPS assignments that would turn `rule-available` rows into shielded ones, checked against the tenant's
 * live state (`index`, freshly loaded), so a change that was already made is skipped and nothing is sent twice.
 * One change per target (computer or policy) carrying all its rule IDs.
 */
export function planAssignments(input: {
  tenant: string;
  rows: CoverageRow[];
  index: TenantIndex;
  policies: WsPolicy[];
  accounts: ReadonlyMap<string, OrgAccount>;
  modeFor: (account: OrgAccount) => AssignmentMode;
  settings: AssignmentSettings;
}): AssignmentPlan {
  const changes = new Map<string, PlannedChange>();
  const skipped: SkippedRow[] = [];
  for (const row of input.rows) {
    if (row.coverage !== "rule-available") continue;
    const account = input.accounts.get(row.accountId);
    const skip = (kind: SkippedRow["kind"], reason: string) => skipped.push({ row, kind, reason });
    if (!account || input.modeFor(account) === "off") {
      skip("mode-off", "assignment is off for this account");
      continue;
    }
    const computer = row.computer ? input.index.computersById.get(row.computer.id) : undefined;
    if (!computer) {
      skip("no-computer", "the computer no longer exists in the tenant");
      continue;
    }
    const wanted = rulesToAssign(row.coveringRules);
    const effective = new Set(computer.ipsRuleIds);
    if (wanted.some((rule) => effective.has(rule.id))) {
      skip("already-effective", "a covering rule is already effective on the computer");
      continue;
    }
    if (!isAllowed(account, input.settings.allow)) {
      skip("not-allowed", "the account is not in the assignment allow-list");
      continue;
    }
    if (!isAgentRunning(computer.agentStatus)) {
      skip("agent-not-active", `the agent is ${computer.agentStatus ?? "of unknown status"}`);
      continue;
    }
    const target: AssignmentTarget =
      input.settings.target === "computer"
        ? { kind: "computer", id: computer.id }
        : { kind: "policy", id: computer.policyId };
    if (target.kind === "policy" && target.id === 0) {
      skip("no-policy", "the computer has no policy; choose target computer for it");
      continue;
    }
    addToChange(changes, target, row, wanted, computer.policyId, input.modeFor(account) === "apply" ? "apply" : "plan");
  }
  const planned = [...changes.values()].sort((a, b) => a.changeKey.localeCompare(b.changeKey));
  for (const change of planned) {
    change.alsoAffects = blastRadius(change, input.index, input.policies);
    const outside = change.alsoAffects.accountIds.filter((id) => {
      const account = input.accounts.get(id);
      return !account || !isAllowed(account, input.settings.allow);
    });
    if (outside.length > 0)
      change.blockedReason = `policy ${change.target.id} also reaches accounts outside the allow-list: ${outside.join(", ")}`;
  }
  return { tenant: input.tenant, changes: planned, skipped };
}

/** The one name of a target in change ids and plans: `computer-10`, `policy-2`. */
export function changeKeyOf(target: AssignmentTarget): string {
  return `${target.kind}-${target.id}`;
}

/** Prefer rules that prevent: detect-only rules would only move the row to detect-only. */
function rulesToAssign(covering: RuleRef[]): RuleRef[] {
  const preventing = covering.filter((rule) => !rule.detectOnly);
  return preventing.length > 0 ? preventing : covering;
}

function addToChange(
  changes: Map<string, PlannedChange>,
  target: AssignmentTarget,
  row: CoverageRow,
  rules: RuleRef[],
  policyId: number,
  mode: "plan" | "apply",
): void {
  const changeKey = changeKeyOf(target);
  let change = changes.get(changeKey);
  if (!change) {
    change = {
      changeKey,
      mode,
      target,
      ruleIds: [],
      rules: [],
      instances: [],
      alsoAffects: { computerIds: [], accountIds: [] },
    };
    changes.set(changeKey, change);
  }
  if (mode === "plan") change.mode = "plan";
  for (const rule of rules) {
    if (!change.ruleIds.includes(rule.id)) {
      change.ruleIds.push(rule.id);
      change.rules.push(rule);
    }
  }
  change.ruleIds.sort((a, b) => a - b);
  change.rules.sort((a, b) => a.id - b.id);
  const computerId = row.computer?.id as number;
  let instance = change.instances.find((i) => i.instanceId === row.instanceId && i.computerId === computerId);
  if (!instance) {
    instance = {
      accountId: row.accountId,
      region: row.region,
      instanceId: row.instanceId,
      computerId,
      policyId,
      vulnerabilityIds: [],
      findingArns: [],
      ruleIds: [],
    };
    change.instances.push(instance);
  }
  instance.vulnerabilityIds.push(row.vulnerabilityId);
  instance.findingArns.push(...row.findingArns);
  for (const rule of rules) if (!instance.ruleIds.includes(rule.id)) instance.ruleIds.push(rule.id);
  instance.ruleIds.sort((a, b) => a - b);
}

/** A policy change reaches every computer on the policy or on any policy below it. */
function blastRadius(change: PlannedChange, index: TenantIndex, policies: WsPolicy[]): PlannedChange["alsoAffects"] {
  if (change.target.kind !== "policy") return { computerIds: [], accountIds: [] };
  const reached = descendantPolicies(change.target.id, policies);
  const motivating = new Set(change.instances.map((i) => i.computerId));
  const computerIds: number[] = [];
  const accountIds = new Set<string>();
  for (const computer of index.computersById.values()) {
    if (!reached.has(computer.policyId) || motivating.has(computer.id)) continue;
    computerIds.push(computer.id);
    if (computer.awsAccountId) accountIds.add(computer.awsAccountId);
  }
  return { computerIds: computerIds.sort((a, b) => a - b), accountIds: [...accountIds].sort() };
}

export function descendantPolicies(policyId: number, policies: WsPolicy[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const policy of policies) {
    if (policy.parentId === undefined) continue;
    const list = children.get(policy.parentId);
    if (list) list.push(policy.id);
    else children.set(policy.parentId, [policy.id]);
  }
  const reached = new Set<number>([policyId]);
  const queue = [policyId];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (!reached.has(child)) {
        reached.add(child);
        queue.push(child);
      }
    }
  }
  return reached;
}
