import {
  ruleIdSharing,
  withChangedRules,
  WS_MODULES,
  type AssignmentTarget,
  type ComplianceFleet,
  type IpsRule,
  type RuleCatalog,
  type TenantSnapshot,
  type WorkloadSecurityTenantApi,
  type WsComputer as Computer,
  type WsPolicy as Policy,
  type WsApplicationType as WsApplicationTypeName,
} from "@wshub/core";
import type {
  WsApplicationType,
  WsComputer,
  WsIpsAssignments,
  WsIpsRule,
  WsPolicy,
  WsScheduledTask,
} from "./api-types.js";
import type { WorkloadSecurityHttp } from "./http.js";
import { searchAll } from "./keyset.js";
import { toComplianceComputer, toComputer, toIpsRule, toPolicy } from "./mapping.js";

/** Only what coverage needs: ids, policy, EC2 identity, agent status and effective IPS state and rules. */
export const COMPUTER_EXPAND = [
  "ec2VirtualMachineSummary",
  "noConnectorVirtualMachineSummary",
  "computerStatus",
  "intrusionPrevention",
];
const COMPUTERS_QUERY = { expand: COMPUTER_EXPAND, overrides: "false" };
const RULES_SEARCH = { path: "/intrusionpreventionrules/search", collection: "intrusionPreventionRules" };

/** Compliance rules also read every protection module's state and status, and the agent's messages. */
export const COMPLIANCE_EXPAND = [...COMPUTER_EXPAND, ...WS_MODULES.filter((m) => m !== "intrusionPrevention")];

/** Computers one instance id may match (re-registered agents give duplicates). */
const INSTANCE_MATCHES = 50;
const INSTANCE_FIELDS = ["ec2VirtualMachineSummary/instanceID", "noConnectorVirtualMachineSummary/instanceID"];

export type ScanKind = "scan-for-recommendations" | "scan-for-integrity-changes";

/** One tenant's API, used as the hub needs it. The client is handed in, so tests can point it anywhere. */
export class WorkloadSecurityTenant implements WorkloadSecurityTenantApi {
  constructor(private readonly http: WorkloadSecurityHttp) {}

  get tenant(): string {
    return this.http.tenant;
  }

  get calls(): number {
    return this.http.calls;
  }

  async loadSnapshot(options: { includePolicies: boolean; catalog?: RuleCatalog }): Promise<TenantSnapshot> {
    const [{ rules, stamp }, computers, policies] = await Promise.all([
      this.loadRules(options.catalog),
      this.loadComputers(),
      options.includePolicies ? this.loadPolicies() : Promise.resolve(undefined),
    ]);
    const fetchedAt = new Date().toISOString();
    const snapshot: TenantSnapshot = { tenant: this.tenant, rules, computers, fetchedAt, catalog: stamp };
    if (policies) snapshot.policies = policies;
    return snapshot;
  }

  /** The whole catalog, or given the kept one, the rules modified since its newest (one call when none was). */
  async loadRules(kept?: RuleCatalog): Promise<Omit<RuleCatalog, "tenant">> {
    const readAt = new Date().toISOString();
    let lastUpdated = kept?.stamp.lastUpdated ?? 0;
    const read = (wire: WsIpsRule) => {
      lastUpdated = Math.max(lastUpdated, wire.lastUpdated ?? 0);
      return toIpsRule(wire);
    };
    if (!kept) {
      const rules = await searchAll<WsIpsRule, IpsRule>(this.http, RULES_SEARCH, read);
      return { rules, stamp: { lastUpdated, readAt } };
    }
    // Inclusive: a rule modified in the newest millisecond seen is read again rather than missed.
    const since = { fieldName: "lastUpdated", firstDateValue: kept.stamp.lastUpdated, firstDateInclusive: true };
    const changed = await searchAll<WsIpsRule, IpsRule>(this.http, { ...RULES_SEARCH, criteria: [since] }, read);
    return { rules: withChangedRules(kept.rules, changed), stamp: { lastUpdated, readAt: kept.stamp.readAt } };
  }

  async loadComputers(): Promise<Computer[]> {
    // Computers of one policy share one rule-id list from the page they arrive in (16,000 lists of ~900 ids at L).
    const share = ruleIdSharing();
    const search = { path: "/computers/search", collection: "computers", query: COMPUTERS_QUERY };
    return searchAll<WsComputer, Computer>(this.http, search, (wire) => {
      const computer = toComputer(wire);
      if (computer) share(computer);
      return computer;
    });
  }

  async loadComplianceFleet(options: { instanceId?: string }): Promise<ComplianceFleet> {
    const [computers, policies] = await Promise.all([
      options.instanceId === undefined ? this.loadComplianceComputers() : this.computersOf(options.instanceId),
      this.loadPolicies(),
    ]);
    return { tenant: this.tenant, computers, policies };
  }

  private async loadComplianceComputers(): Promise<Computer[]> {
    const query = { expand: COMPLIANCE_EXPAND, overrides: "false" };
    return searchAll(this.http, { path: "/computers/search", collection: "computers", query }, toComplianceComputer);
  }

  /** The computers carrying one instance id, with or without a connector: two searches, never the fleet. */
  private async computersOf(instanceId: string): Promise<Computer[]> {
    const found = await Promise.all(INSTANCE_FIELDS.map((field) => this.searchComputers(field, instanceId)));
    const byId = new Map(found.flat().map((computer) => [computer.id, computer]));
    return [...byId.values()];
  }

  private async searchComputers(fieldName: string, stringValue: string): Promise<Computer[]> {
    const answer = await this.http.request<{ computers?: WsComputer[] }>("POST", "/computers/search", {
      query: { expand: COMPLIANCE_EXPAND, overrides: "false" },
      body: { maxItems: INSTANCE_MATCHES, searchCriteria: [{ fieldName, stringTest: "equal", stringValue }] },
    });
    return defined((answer?.computers ?? []).map(toComplianceComputer));
  }

  async loadPolicies(): Promise<Policy[]> {
    const search = { path: "/policies/search", collection: "policies", query: { overrides: "false" } };
    return searchAll<WsPolicy, Policy>(this.http, search, toPolicy);
  }

  /** The tenant's IPS application types (`/applicationtypes/search`, keyset paging): names by tenant-local id. */
  async loadApplicationTypes(): Promise<WsApplicationTypeName[]> {
    const search = { path: "/applicationtypes/search", collection: "applicationTypes" };
    return searchAll<WsApplicationType, WsApplicationTypeName>(this.http, search, (t) =>
      t.ID === undefined ? undefined : { id: t.ID, name: t.name ?? `application type ${t.ID}` },
    );
  }

  async addRules(target: AssignmentTarget, ruleIds: number[]): Promise<number[]> {
    const answer = await this.http.request<WsIpsAssignments>("POST", assignmentsPath(target), {
      query: { overrides: "true" },
      body: { ruleIDs: ruleIds },
    });
    return answer?.assignedRuleIDs ?? [];
  }

  async removeRule(target: AssignmentTarget, ruleId: number): Promise<number[]> {
    const answer = await this.http.request<WsIpsAssignments>("DELETE", `${assignmentsPath(target)}/${ruleId}`, {
      query: { overrides: "true" },
    });
    return answer?.assignedRuleIDs ?? [];
  }

  async directRuleIds(target: AssignmentTarget): Promise<number[]> {
    const answer = await this.http.request<WsIpsAssignments>("GET", assignmentsPath(target), {
      query: { overrides: "true" },
    });
    return answer?.assignedRuleIDs ?? [];
  }

  /** A run-now scheduled task scanning one computer (recommendation or integrity scan). */
  async runScan(kind: ScanKind, computerId: number, name = `wshub ${kind} ${computerId}`): Promise<number | undefined> {
    const parameters = { computerFilter: { type: "computer", computerID: computerId } };
    const task: WsScheduledTask = {
      name,
      type: kind,
      enabled: true,
      runNow: true,
      scheduleDetails: { recurrenceType: "none", onceOnlyScheduleParameters: { startTime: Date.now() } },
      ...(kind === "scan-for-recommendations"
        ? { scanForRecommendationsTaskParameters: parameters }
        : { scanForIntegrityChangesTaskParameters: parameters }),
    } as WsScheduledTask;
    const created = await this.http.request<WsScheduledTask>("POST", "/scheduledtasks", { body: task });
    return created?.ID;
  }
}

function assignmentsPath(target: AssignmentTarget): string {
  return `/${target.kind === "computer" ? "computers" : "policies"}/${target.id}/intrusionprevention/assignments`;
}

function defined<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
