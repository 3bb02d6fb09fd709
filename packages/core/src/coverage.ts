import type { OrgAccount } from "./organization.js";
import type { Severity } from "./severity.js";
import { normalizeVulnerabilityId } from "./vulnerability-id.js";
import type { TenantIndex } from "./tenant-index.js";
import type { AgentStatus, IpsRule, IpsState, WsComputer } from "./workload-security.js";
import { computerLabel, isAgentRunning } from "./workload-security.js";

export { compareUnits, groupCoverageUnits } from "./coverage-units.js";

/** The statuses of coverage.md, in the order they are tested. */
export const COVERAGE_STATUSES = [
  "no-tenant",
  "no-agent",
  "no-rule",
  "rule-available",
  "inactive",
  "detect-only",
  "protected",
] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

export const FIX_FOR_STATUS: Record<CoverageStatus, string> = {
  "no-tenant": "map the account to a Workload Security tenant",
  "no-agent": "deploy the Workload Security agent",
  "no-rule": "nothing in IPS: patch the package",
  "rule-available": "assign the covering IPS rule(s)",
  inactive: "turn IPS on / repair the agent",
  "detect-only": "switch IPS to prevent",
  protected: "",
};

/** One (account, region, instance, vulnerability id) among active EC2 package-vulnerability findings. */
export interface CoverageUnit {
  accountId: string;
  region: string;
  instanceId: string;
  instanceName?: string;
  vulnerabilityId: string;
  severity: Severity;
  packages: string[];
  findingArns: string[];
  inspectorScore?: number;
  fixAvailable?: string;
  exploitAvailable?: string;
  /** The highest EPSS score among the unit's findings (one CVE: they agree). */
  epssScore?: number;
  firstObservedAt?: string;
}

export interface RuleRef {
  id: number;
  identifier: string;
  name: string;
  detectOnly: boolean;
  /** The vendor's rule severity (`severity`: low, medium, high, critical). */
  severity?: string;
  /** The vendor's `CVSSScore`, as the API gives it (e.g. "7.50"). */
  cvssScore?: string;
}

export interface ComputerRef {
  id: number;
  name: string;
  policyId: number;
  agentStatus?: AgentStatus;
  ipsState?: IpsState;
}

export interface CoverageRow extends CoverageUnit {
  accountName: string;
  tenant: string | null;
  coverage: CoverageStatus;
  /** Every rule of the tenant's catalog that lists the vulnerability id, ascending by identifier. */
  coveringRules: RuleRef[];
  /** The covering rules that are among the computer's effective rules. */
  effectiveRuleIds: number[];
  computer?: ComputerRef;
  /** Why the status, in words an account owner can act on (including duplicate-computer notes). */
  note: string;
  fix: string;
  /** When the unit first became protected (docs/insights.md, time to shield), carried from run to run. */
  shieldedAt?: string;
  /** What shielded it: an audited assignment, or a run that found it protected. */
  shieldedBy?: "run" | "assignment";
}

/**
 * Give each unit exactly one status: the first of coverage.md's table that applies. `index` is null when the
 * account maps to no tenant.
 */
export function evaluateCoverage(
  units: readonly CoverageUnit[],
  account: Pick<OrgAccount, "id" | "name">,
  index: TenantIndex | null,
): CoverageRow[] {
  return units.map((unit) => evaluateUnit(unit, account.name, index));
}

export function evaluateUnit(unit: CoverageUnit, accountName: string, index: TenantIndex | null): CoverageRow {
  if (index === null)
    return row(unit, { accountName, tenant: null, coverage: "no-tenant", note: "the account maps to no tenant" });

  const covering = (index.rulesByVulnerability.get(normalizeVulnerabilityId(unit.vulnerabilityId)) ?? []).map(ruleRef);
  const candidates = index.computersByInstance.get(unit.instanceId) ?? [];
  const computer = candidates[0];
  if (!computer) {
    return row(unit, {
      accountName,
      tenant: index.tenant,
      coverage: "no-agent",
      coveringRules: covering,
      note: "no computer carries this instance id",
    });
  }
  const duplicateNote =
    candidates.length > 1
      ? `; ${candidates.length} computers carry this instance id (${candidates.map((c) => c.id).join(", ")}), computer ${computer.id} has the most recent agent communication and was used`
      : "";
  const decision = decideWithComputer(covering, computer);
  return row(unit, {
    accountName,
    tenant: index.tenant,
    coverage: decision.status,
    coveringRules: covering,
    effectiveRuleIds: decision.effective,
    computer: computerRef(computer),
    note: decision.note + duplicateNote,
  });
}

interface Decision {
  status: CoverageStatus;
  effective: number[];
  note: string;
}

/**
 * The status a `rule-available` row would get once every covering rule is assigned to its computer (the same ladder,
 * with all covering rules effective): `protected`, or `detect-only` / `inactive` when assignment alone is not enough.
 * Any other row keeps its status.
 */
export function statusIfAssigned(row: Pick<CoverageRow, "coverage" | "coveringRules" | "computer">): CoverageStatus {
  if (row.coverage !== "rule-available" || !row.computer) return row.coverage;
  const computer: ComputerState = { ipsRuleIds: row.coveringRules.map((rule) => rule.id) };
  if (row.computer.ipsState !== undefined) computer.ipsState = row.computer.ipsState;
  if (row.computer.agentStatus !== undefined) computer.agentStatus = row.computer.agentStatus;
  return decideWithComputer(row.coveringRules, computer).status;
}

type ComputerState = Pick<WsComputer, "ipsRuleIds" | "ipsState" | "agentStatus">;

/** One set per rule list: indexed computers share their lists (tenant-index.ts), so a tenant builds a handful. */
const ruleSets = new WeakMap<readonly number[], ReadonlySet<number>>();

function ruleSetOf(ids: readonly number[]): ReadonlySet<number> {
  let set = ruleSets.get(ids);
  if (!set) ruleSets.set(ids, (set = new Set(ids)));
  return set;
}

function decideWithComputer(covering: RuleRef[], computer: ComputerState): Decision {
  if (covering.length === 0) return { status: "no-rule", effective: [], note: "no IPS rule lists this vulnerability" };
  const effectiveSet = ruleSetOf(computer.ipsRuleIds);
  const effective = covering.filter((rule) => effectiveSet.has(rule.id));
  const effectiveIds = effective.map((rule) => rule.id);
  if (effective.length === 0) {
    return { status: "rule-available", effective: [], note: "a covering rule exists but is not assigned" };
  }
  // Unknown state or agent status never counts as protection: wshub claims "protected" only on evidence.
  if (computer.ipsState === undefined || computer.ipsState === "off" || computer.ipsState === "inherited") {
    return { status: "inactive", effective: effectiveIds, note: `IPS state is ${computer.ipsState ?? "unknown"}` };
  }
  if (!isAgentRunning(computer.agentStatus)) {
    return {
      status: "inactive",
      effective: effectiveIds,
      note: `agent status is ${computer.agentStatus ?? "unknown"}`,
    };
  }
  if (computer.ipsState === "detect") {
    return { status: "detect-only", effective: effectiveIds, note: "IPS is in detect mode" };
  }
  if (effective.every((rule) => rule.detectOnly)) {
    return { status: "detect-only", effective: effectiveIds, note: "every effective covering rule is detect-only" };
  }
  return { status: "protected", effective: effectiveIds, note: "a covering rule is effective and IPS prevents" };
}

interface RowFields {
  accountName: string;
  tenant: string | null;
  coverage: CoverageStatus;
  coveringRules?: RuleRef[];
  effectiveRuleIds?: number[];
  computer?: ComputerRef;
  note: string;
}

function row(unit: CoverageUnit, fields: RowFields): CoverageRow {
  const result: CoverageRow = {
    ...unit,
    accountName: fields.accountName,
    tenant: fields.tenant,
    coverage: fields.coverage,
    coveringRules: fields.coveringRules ?? [],
    effectiveRuleIds: fields.effectiveRuleIds ?? [],
    note: fields.note,
    fix: FIX_FOR_STATUS[fields.coverage],
  };
  if (fields.computer) result.computer = fields.computer;
  return result;
}

export function ruleRef(rule: IpsRule): RuleRef {
  const ref: RuleRef = { id: rule.id, identifier: rule.identifier, name: rule.name, detectOnly: rule.detectOnly };
  if (rule.severity !== undefined) ref.severity = rule.severity;
  if (rule.cvssScore !== undefined) ref.cvssScore = rule.cvssScore;
  return ref;
}

export function computerRef(computer: WsComputer): ComputerRef {
  const ref: ComputerRef = { id: computer.id, name: computerLabel(computer), policyId: computer.policyId };
  if (computer.agentStatus !== undefined) ref.agentStatus = computer.agentStatus;
  if (computer.ipsState !== undefined) ref.ipsState = computer.ipsState;
  return ref;
}

/** `ips_rules` column: covering rule identifiers, space separated, ascending. */
export function ipsRulesCell(row: Pick<CoverageRow, "coveringRules">): string {
  return row.coveringRules.map((rule) => rule.identifier).join(" ");
}
