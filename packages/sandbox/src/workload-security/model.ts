import { normalizeVulnerabilityId } from "@wshub/core";
import { applicationTypesOf, withApplicationType } from "./application-types.js";
import { ApiError } from "./errors.js";
import type {
  AgentStatus,
  IpsState,
  ScenarioApplicationType,
  ScenarioComputer,
  ScenarioIpsRule,
  ScenarioPolicy,
  ScenarioTenant,
} from "../scenario/types.js";

export interface PolicyState {
  id: number;
  name: string;
  description: string;
  parentId: number | null;
  ipsState: IpsState;
  ruleIds: Set<number>;
}

export interface ComputerState {
  id: number;
  hostName: string;
  displayName: string;
  description: string;
  policyId: number;
  ec2: ScenarioComputer["ec2"];
  agentStatus: AgentStatus;
  ipsState: IpsState;
  ruleIds: Set<number>;
  antiMalwareState: ScenarioComputer["antiMalwareState"];
  integrityMonitoringState: ScenarioComputer["integrityMonitoringState"];
  lastAgentCommunication: number;
  lastRecommendationScanDate?: number;
  /** The rules the last recommendation scan found applicable to the host. */
  recommendedRuleIds?: number[];
  lastIntegrityScan?: number;
}

/** Instance id → the vulnerability ids (trimmed, upper-cased) present on it: what an agent's scan would detect. */
export type HostVulnerabilities = ReadonlyMap<string, ReadonlySet<string>>;

/** What a computer's last recommendation scan says against its current assignments. */
export interface Recommendations {
  toAssign: number[];
  toUnassign: number[];
}

/** A policy's answer, and a computer's before its first recommendation scan. */
export const NO_RECOMMENDATIONS: Readonly<Recommendations> = Object.freeze({ toAssign: [], toUnassign: [] });

/** Anything that carries directly assigned IPS rules. */
export interface RuleOwner {
  ruleIds: Set<number>;
}

export interface TaskState {
  id: number;
  /** The task as the client defined it (spec `ScheduledTask` fields), plus `lastRunTime` once it ran. */
  body: Record<string, unknown>;
}

/** Computers without a `lastAgentCommunication` talked to the manager shortly before this instant. */
const EPOCH = Date.parse("2026-11-20T08:00:00Z");

/** `inherited` at the top of the chain (or without a policy) means `prevent` (scenario README). */
const TOP_STATE: IpsState = "prevent";

/** A rule of the catalog; `lastUpdated` when a scenario step published or revised it (else the catalogue's date). */
export type CatalogRule = ScenarioIpsRule & { lastUpdated?: number };

/**
 * One tenant's state: rule catalog, policy tree, computers, scheduled tasks. Effective IPS rules and state are
 * computed on read (`overrides=false`), so an assignment on a policy shows at once on every computer below it.
 */
export class TenantModel {
  readonly rules = new Map<number, CatalogRule>();
  readonly applicationTypes: ScenarioApplicationType[];
  readonly policies = new Map<number, PolicyState>();
  readonly computers = new Map<number, ComputerState>();
  readonly tasks = new Map<number, TaskState>();
  private nextTaskId = 1;
  /** Bumped on every change, so cached renderings of computers and policies are never stale. */
  private version = 0;
  private readonly renderCache = new Map<string, { version: number; value: unknown }>();

  constructor(
    readonly tenant: ScenarioTenant,
    readonly tenantId: number,
    private readonly hostVulnerabilities: HostVulnerabilities = new Map(),
  ) {
    this.applicationTypes = applicationTypesOf(tenant);
    for (const rule of tenant.ipsRules) this.rules.set(rule.id, withApplicationType(rule, this.applicationTypes));
    for (const policy of tenant.policies) this.policies.set(policy.id, policyState(policy));
    for (const computer of tenant.computers) this.computers.set(computer.id, computerState(computer, EPOCH));
  }

  /** A rule published or revised (a scenario step), stamped `at`: every listing shows it from the next call on. */
  putRule(rule: ScenarioIpsRule, at: number): void {
    this.rules.set(rule.id, { ...withApplicationType(rule, this.applicationTypes), lastUpdated: at });
    this.renderCache.delete("rules");
    this.version++;
  }

  /** A new agent (a scenario step): it shows in every listing from the next call on. */
  addComputer(computer: ScenarioComputer): void {
    if (this.computers.has(computer.id))
      throw new Error(`tenant ${this.tenant.name} already has computer ${computer.id}`);
    this.computers.set(computer.id, computerState(computer, EPOCH));
    this.touch();
  }

  /** The policy and its ancestors, nearest first. */
  policyChain(policyId: number): PolicyState[] {
    const chain: PolicyState[] = [];
    let current = this.policies.get(policyId);
    while (current && !chain.includes(current)) {
      chain.push(current);
      current = current.parentId === null ? undefined : this.policies.get(current.parentId);
    }
    return chain;
  }

  effectivePolicyRules(policyId: number): number[] {
    // Memoised per policy until the next change: every computer on the policy needs the same list.
    return this.cached(`policyRules:${policyId}`, () =>
      sorted(this.policyChain(policyId).flatMap((p) => [...p.ruleIds])),
    );
  }

  effectivePolicyState(policyId: number): IpsState {
    for (const policy of this.policyChain(policyId)) if (policy.ipsState !== "inherited") return policy.ipsState;
    return TOP_STATE;
  }

  effectiveComputerRules(computer: ComputerState): number[] {
    return sorted([...computer.ruleIds, ...this.effectivePolicyRules(computer.policyId)]);
  }

  effectiveComputerState(computer: ComputerState): IpsState {
    return computer.ipsState !== "inherited" ? computer.ipsState : this.effectivePolicyState(computer.policyId);
  }

  /**
   * A recommendation scan. The real agent matches the host's installed software against the rule catalog; here the
   * scenario's findings on the instance (active or suppressed, not closed) stand in for that software, so a rule is
   * applicable when one of its CVEs is present on the host.
   */
  scanForRecommendations(computer: ComputerState, now: number): void {
    const present = this.hostVulnerabilities.get(computer.ec2?.instanceId ?? "") ?? new Set<string>();
    const byCve = this.rulesByVulnerability();
    computer.recommendedRuleIds = sorted([...present].flatMap((cve) => byCve.get(cve) ?? []));
    computer.lastRecommendationScanDate = now;
    this.touch();
  }

  /**
   * The last scan's recommendations against what is effective now: applicable rules not yet in force, and
   * vulnerability rules in force that apply to nothing on the host (rules without CVEs are never proposed).
   */
  recommendations(computer: ComputerState): Recommendations {
    if (!computer.recommendedRuleIds) return NO_RECOMMENDATIONS;
    const applicable = new Set(computer.recommendedRuleIds);
    const effective = this.effectiveComputerRules(computer);
    const inForce = new Set(effective);
    return {
      toAssign: computer.recommendedRuleIds.filter((id) => !inForce.has(id)),
      toUnassign: effective.filter((id) => !applicable.has(id) && (this.rules.get(id)?.cves.length ?? 0) > 0),
    };
  }

  private rulesByVulnerability(): Map<string, number[]> {
    return this.cached(
      "rulesByVulnerability",
      () => {
        const index = new Map<string, number[]>();
        for (const rule of this.rules.values())
          for (const cve of rule.cves) {
            const key = normalizeVulnerabilityId(cve);
            const rules = index.get(key) ?? [];
            rules.push(rule.id);
            index.set(key, rules);
          }
        return index;
      },
      true,
    );
  }

  /** Computers on the policy or any policy below it. */
  computersUnderPolicy(policyId: number, includeSubPolicies: boolean): ComputerState[] {
    return [...this.computers.values()].filter((c) =>
      includeSubPolicies ? this.policyChain(c.policyId).some((p) => p.id === policyId) : c.policyId === policyId,
    );
  }

  /**
   * Time passes for the fleet: every running agent (active or warning) has heartbeated `ms` later, as real agents do
   * every few minutes; stopped ones keep their last contact. Returns how many moved.
   */
  advanceHeartbeats(ms: number): number {
    let moved = 0;
    for (const computer of this.computers.values()) {
      if (computer.agentStatus !== "active" && computer.agentStatus !== "warning") continue;
      computer.lastAgentCommunication += ms;
      moved++;
    }
    if (moved > 0) this.touch();
    return moved;
  }

  /** Record a change: computers' and policies' effective values may differ now. */
  touch(): void {
    this.version++;
  }

  /** Memoise an expensive rendering until the next change (`stable`: it never changes, e.g. the rule catalog). */
  cached<T>(key: string, compute: () => T, stable = false): T {
    const hit = this.renderCache.get(key);
    if (hit && (stable || hit.version === this.version)) return hit.value as T;
    const value = compute();
    this.renderCache.set(key, { version: this.version, value });
    return value;
  }

  /**
   * Assign rules directly to a computer or policy: `add` to its set, or `set` (replace) it. An unknown rule ID
   * rejects the whole request and assigns nothing, as the real API does.
   */
  assignRules(owner: RuleOwner, ruleIds: number[], mode: "add" | "set"): void {
    this.checkRules(ruleIds);
    if (mode === "set") owner.ruleIds = new Set(ruleIds);
    else for (const ruleId of ruleIds) owner.ruleIds.add(ruleId);
    this.touch();
  }

  /** Remove one direct assignment (removing one that is not there, or only inherited, changes nothing). */
  unassignRule(owner: RuleOwner, ruleId: number): void {
    owner.ruleIds.delete(ruleId);
    this.touch();
  }

  checkRules(ruleIds: number[]): void {
    const unknown = ruleIds.filter((id) => !this.rules.has(id));
    if (unknown.length > 0) throw new ApiError(400, `Invalid intrusion prevention rule IDs: ${unknown.join(", ")}.`);
  }

  addTask(body: Record<string, unknown>): TaskState {
    const task = { id: this.nextTaskId++, body };
    this.tasks.set(task.id, task);
    return task;
  }
}

function policyState(p: ScenarioPolicy): PolicyState {
  return {
    id: p.id,
    name: p.name,
    description: "",
    parentId: p.parentId,
    ipsState: p.ipsState,
    ruleIds: new Set(p.ipsRuleIds),
  };
}

function computerState(c: ScenarioComputer, epoch: number): ComputerState {
  return {
    id: c.id,
    hostName: c.hostName,
    displayName: c.displayName ?? "",
    description: "",
    policyId: c.policyId,
    ec2: c.ec2,
    agentStatus: c.agentStatus,
    ipsState: c.ipsState,
    ruleIds: new Set(c.ipsRuleIds),
    antiMalwareState: c.antiMalwareState,
    integrityMonitoringState: c.integrityMonitoringState,
    lastAgentCommunication: c.lastAgentCommunication ? Date.parse(c.lastAgentCommunication) : epoch - c.id * 1000,
  };
}

export function sorted(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
