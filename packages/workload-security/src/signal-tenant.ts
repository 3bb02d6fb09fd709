import type {
  AssignmentTarget,
  IpsRule,
  RecommendationResult,
  ScanKind,
  SignalTenantApi,
  WsComputer as Computer,
  WsPolicy as Policy,
} from "@wshub/core";
import type { WsComputers, WsIpsAssignments, WsIpsRules, WsScheduledTask, WsSearchFilter } from "./api-types.js";
import type { WorkloadSecurityHttp } from "./http.js";
import { toComputer, toIpsRule } from "./mapping.js";
import { COMPUTER_EXPAND, WorkloadSecurityTenant } from "./tenant-api.js";

/** The lookup of one instance also reads integrity monitoring: an integrity scan is only run where it can verify. */
export const SIGNAL_COMPUTER_EXPAND = [...COMPUTER_EXPAND, "integrityMonitoring"];

/**
 * One container reuses an instance's look-up this long: the repeated findings of a burst (coalesced into one scan)
 * cost one search, not one each. Short, because an agent's state can change; the scan's own reads are never reused.
 */
export const LOOKUP_REUSE_MS = 5 * 60_000;
/** Look-ups one container keeps at most (then it starts afresh). */
const LOOKUPS_KEPT = 10_000;

/** Computers carrying an instance id: the EC2 connector's summary, else the agent's own (no connector). */
const INSTANCE_FIELDS = ["ec2VirtualMachineSummary/instanceID", "noConnectorVirtualMachineSummary/instanceID"];

const TASK_TYPES: Record<ScanKind, NonNullable<WsScheduledTask["type"]>> = {
  recommendation: "scan-for-recommendations",
  integrity: "scan-for-integrity-changes",
};

/**
 * The calls a reaction makes, per computer: one look-up, one scan task, one read of its recommendations, at most one
 * assignment, one integrity scan. Through the same transport as the weekly run (rate ceiling, backoff, redaction).
 */
export class WorkloadSecuritySignalTenant implements SignalTenantApi {
  private readonly tenantApi: WorkloadSecurityTenant;
  private policyList: Promise<Policy[]> | undefined;
  private computerList: Promise<Computer[]> | undefined;
  private readonly lookups = new Map<string, { at: number; computer: Promise<Computer | undefined> }>();

  constructor(
    private readonly http: WorkloadSecurityHttp,
    private readonly now: () => number = Date.now,
  ) {
    this.tenantApi = new WorkloadSecurityTenant(http);
  }

  get tenant(): string {
    return this.http.tenant;
  }

  get calls(): number {
    return this.http.calls;
  }

  get writer(): WorkloadSecurityTenant {
    return this.tenantApi;
  }

  /** The instance's computer, searched once per LOOKUP_REUSE_MS by this client (a failed search is not kept). */
  computerForInstance(instanceId: string): Promise<Computer | undefined> {
    const now = this.now();
    const kept = this.lookups.get(instanceId);
    if (kept && now - kept.at < LOOKUP_REUSE_MS) return kept.computer;
    if (this.lookups.size >= LOOKUPS_KEPT) this.lookups.clear();
    const computer = this.search(instanceId);
    computer.catch(() => this.lookups.delete(instanceId));
    this.lookups.set(instanceId, { at: now, computer });
    return computer;
  }

  private async search(instanceId: string): Promise<Computer | undefined> {
    for (const fieldName of INSTANCE_FIELDS) {
      const filter: WsSearchFilter = {
        maxItems: 10,
        searchCriteria: [{ fieldName, stringTest: "equal", stringValue: instanceId, stringWildcards: false }],
      };
      const answer = await this.http.request<WsComputers>("POST", "/computers/search", {
        query: { expand: SIGNAL_COMPUTER_EXPAND, overrides: "false" },
        body: filter,
      });
      const found = (answer?.computers ?? []).flatMap((wire) => {
        const computer = toComputer(wire);
        const state = wire.integrityMonitoring?.state;
        return computer ? [state ? { ...computer, integrityState: state } : computer] : [];
      });
      // Several computers may carry one instance id: the most recent agent communication wins (as in coverage).
      found.sort((a, b) => (b.lastAgentCommunication ?? -1) - (a.lastAgentCommunication ?? -1) || a.id - b.id);
      if (found[0]) return found[0];
    }
    return undefined;
  }

  /** A run-once task that deletes itself after running (recurrence none, count 1): events leave no tasks behind. */
  async startScan(kind: ScanKind, computerId: number): Promise<number | undefined> {
    const parameters = { computerFilter: { type: "computer" as const, computerID: computerId } };
    const task: WsScheduledTask = {
      name: `wshub ${TASK_TYPES[kind]} computer ${computerId}`,
      type: TASK_TYPES[kind],
      enabled: true,
      runNow: true,
      scheduleDetails: { recurrenceType: "none", recurrenceCount: 1 },
      ...(kind === "recommendation"
        ? { scanForRecommendationsTaskParameters: parameters }
        : { scanForIntegrityChangesTaskParameters: parameters }),
    };
    const created = await this.http.request<WsScheduledTask>("POST", "/scheduledtasks", { body: task });
    return created?.ID;
  }

  async recommendations(computerId: number): Promise<RecommendationResult> {
    const answer = await this.http.request<WsIpsAssignments>(
      "GET",
      `/computers/${computerId}/intrusionprevention/assignments`,
    );
    return {
      ...(answer?.lastRecommendationScanDate !== undefined ? { scannedAt: answer.lastRecommendationScanDate } : {}),
      recommendedToAssignRuleIds: answer?.recommendedToAssignRuleIDs ?? [],
    };
  }

  async rulesForVulnerability(vulnerabilityId: string): Promise<IpsRule[]> {
    const filter: WsSearchFilter = {
      maxItems: 5000,
      searchCriteria: [{ fieldName: "CVE", stringTest: "equal", stringValue: vulnerabilityId, stringWildcards: false }],
    };
    const answer = await this.http.request<WsIpsRules>("POST", "/intrusionpreventionrules/search", { body: filter });
    return (answer?.intrusionPreventionRules ?? []).flatMap((wire) => {
      const rule = toIpsRule(wire);
      return rule ? [rule] : [];
    });
  }

  addRules(target: AssignmentTarget, ruleIds: number[]): Promise<number[]> {
    return this.tenantApi.addRules(target, ruleIds);
  }

  policies(): Promise<Policy[]> {
    this.policyList ??= this.tenantApi.loadPolicies();
    return this.policyList;
  }

  computers(): Promise<Computer[]> {
    this.computerList ??= this.tenantApi.loadComputers();
    return this.computerList;
  }
}
