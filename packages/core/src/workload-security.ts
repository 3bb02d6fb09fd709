import type { RuleCatalogStamp } from "./rule-catalog.js";
/** Workload Security objects as the coverage evaluation needs them (mapped from the vendor API by an adapter). */
export type AgentStatus = "active" | "warning" | "error" | "inactive" | "not-supported";
export type IpsState = "prevent" | "detect" | "off" | "inherited";

/** An agent enforces its rules when it reports `active` or `warning`; `inactive`, `error`, `not-supported` or no status do not. */
export function isAgentRunning(status: AgentStatus | undefined): boolean {
  return status === "active" || status === "warning";
}

export interface IpsRule {
  /** Tenant-local `ID`, used in every assignment call. */
  id: number;
  /** The public Trend rule number, e.g. "1011234". */
  identifier: string;
  name: string;
  cves: string[];
  detectOnly: boolean;
  severity?: string;
  cvssScore?: string;
  /** Tenant-local id of the rule's IPS application type (its name comes from `/applicationtypes`). */
  applicationTypeId?: number;
}

export interface WsComputer {
  id: number;
  hostName: string;
  displayName?: string;
  policyId: number;
  /** `ec2VirtualMachineSummary.instanceID`, else `noConnectorVirtualMachineSummary.instanceID`. */
  instanceId?: string;
  awsAccountId?: string;
  agentStatus?: AgentStatus;
  /** Effective IPS state (`overrides=false`). */
  ipsState?: IpsState;
  /**
   * Effective IPS rule IDs (`overrides=false`): policy chain plus the computer's own. Ascending and shared between
   * computers once indexed (tenant-index.ts): never mutated.
   */
  ipsRuleIds: readonly number[];
  lastAgentCommunication?: number;
  /** `computerStatus.agentStatusMessages` (loaded for compliance). */
  agentStatusMessages?: string[];
  /** Effective protection module states (`overrides=false`), loaded for compliance only. */
  modules?: Partial<Record<WsModule, ModuleStatus>>;
  /** Effective integrity monitoring state (`real-time`, `on`, `off`), when the lookup asked for it. */
  integrityState?: string;
}

/** The protection modules of a computer, as the vendor API names its sections. */
export const WS_MODULES = [
  "antiMalware",
  "webReputation",
  "firewall",
  "intrusionPrevention",
  "integrityMonitoring",
  "logInspection",
  "applicationControl",
  "activityMonitoring",
] as const;
export type WsModule = (typeof WS_MODULES)[number];

export interface ModuleStatus {
  /** The module's `state` (e.g. `on`, `off`, `prevent`, `detect`, `real-time`). */
  state?: string;
  /** `moduleStatus.agentStatus` (active, warning, error, inactive ...). */
  agentStatus?: string;
  /** `moduleStatus.agentStatusMessage`. */
  message?: string;
}

export interface WsPolicy {
  id: number;
  name: string;
  parentId?: number;
}

/** An IPS application type as the tenant lists it: the id is tenant-local, the name is what classification reads. */
export interface WsApplicationType {
  id: number;
  name: string;
}

export interface TenantSnapshot {
  tenant: string;
  rules: IpsRule[];
  computers: WsComputer[];
  /** Loaded only when assignment needs the policy tree. */
  policies?: WsPolicy[];
  /** The tenant's `/applicationtypes`, stored with the snapshot when the run checks WAF coverage (instance classes). */
  applicationTypes?: WsApplicationType[];
  fetchedAt: string;
  /** How the rules were read: the newest modification and the last full read (rule-catalog.ts). */
  catalog?: RuleCatalogStamp;
}

export function computerLabel(computer: Pick<WsComputer, "displayName" | "hostName">): string {
  return computer.displayName && computer.displayName.trim() !== "" ? computer.displayName : computer.hostName;
}
