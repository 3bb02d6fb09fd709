import { applicationTypeIdsOf } from "./application-types.js";
import type { CatalogRule, ComputerState, PolicyState, Recommendations, TenantModel } from "./model.js";
import { NO_RECOMMENDATIONS, sorted } from "./model.js";

const SECURITY_MODULES = [
  "antiMalware",
  "webReputation",
  "activityMonitoring",
  "firewall",
  "intrusionPrevention",
  "integrityMonitoring",
  "logInspection",
  "applicationControl",
];
/** Values of `expand` (spec, computer operations). `none` is basic fields only; `all` (the default) is everything. */
export const EXPAND_VALUES = new Set([
  "none",
  "all",
  "computerStatus",
  "tasks",
  "securityUpdates",
  "computerSettings",
  "allSecurityModules",
  ...SECURITY_MODULES,
  "SAP",
  "interfaces",
  "ESXSummary",
  "allVirtualMachineSummaries",
  "azureARMVirtualMachineSummary",
  "azureVMVirtualMachineSummary",
  "ec2VirtualMachineSummary",
  "noConnectorVirtualMachineSummary",
  "vmwareVMVirtualMachineSummary",
  "vcloudVMVirtualMachineSummary",
  "workspaceVirtualMachineSummary",
  "gcpVirtualMachineSummary",
]);
const VM_SUMMARIES = ["ec2VirtualMachineSummary", "noConnectorVirtualMachineSummary"];

/** The sections `expand` asks for. */
export function expandSections(expand: string[]): Set<string> {
  const values = expand.length === 0 ? ["all"] : expand;
  const sections = new Set<string>();
  for (const value of values) {
    if (value === "all")
      for (const s of ["computerStatus", "tasks", ...SECURITY_MODULES, ...VM_SUMMARIES]) sections.add(s);
    else if (value === "allSecurityModules") for (const s of SECURITY_MODULES) sections.add(s);
    else if (value === "allVirtualMachineSummaries") for (const s of VM_SUMMARIES) sections.add(s);
    else if (value !== "none") sections.add(value);
  }
  return sections;
}

const STATUS_MESSAGE: Record<string, string> = {
  active: "Managed (Online)",
  warning: "Managed (Online) - warnings",
  error: "Communications Problem",
  inactive: "Offline",
  "not-supported": "Not supported",
};

/** A computer as the vendor API returns it: fields that are not set are left out, not null. */
export function renderComputer(
  model: TenantModel,
  c: ComputerState,
  sections: Set<string>,
  overrides: boolean,
): Record<string, unknown> {
  const agent = c.agentStatus !== "not-supported";
  const computer: Record<string, unknown> = {
    ID: c.id,
    hostName: c.hostName,
    displayName: c.displayName,
    description: c.description,
    policyID: c.policyId,
    groupID: 0,
    relayListID: 0,
    assetImportanceID: 0,
    platform: "Amazon Linux 2023 (64 bit)",
    lastIPUsed: `10.0.${Math.floor(c.id / 250) % 250}.${(c.id % 250) + 1}`,
    agentVersion: agent ? "20.0.1-12345" : "0.0.0.0",
    hostGUID: guid(`computer-${model.tenant.name}-${c.id}`),
    lastAgentCommunication: c.lastAgentCommunication,
  };
  if (agent) computer["agentFingerPrint"] = fingerprint(`${model.tenant.name}-${c.id}`);
  if (sections.has("computerStatus"))
    computer["computerStatus"] = {
      agentStatus: c.agentStatus,
      agentStatusMessages: [STATUS_MESSAGE[c.agentStatus] ?? c.agentStatus],
    };
  if (sections.has("tasks")) computer["tasks"] = { agentTasks: [] };
  if (c.ec2?.viaConnector && sections.has("ec2VirtualMachineSummary"))
    computer["ec2VirtualMachineSummary"] = {
      cloudProvider: "AWS",
      accountID: c.ec2.accountId,
      instanceID: c.ec2.instanceId,
      availabilityZone: `${c.ec2.region}a`,
      type: "t3.medium",
      state: c.agentStatus === "inactive" ? "POWER OFF" : "POWER ON",
      operatingSystem: "Amazon Linux 2023 (64 bit)",
      privateIPAddress: computer["lastIPUsed"],
    };
  if (c.ec2 && !c.ec2.viaConnector && sections.has("noConnectorVirtualMachineSummary"))
    computer["noConnectorVirtualMachineSummary"] = {
      accountID: c.ec2.accountId,
      instanceID: c.ec2.instanceId,
      region: c.ec2.region,
    };
  const moduleStatus = {
    agentStatus: c.agentStatus === "not-supported" ? "not-supported" : c.agentStatus,
    agentStatusMessage: STATUS_MESSAGE[c.agentStatus] ?? "",
  };
  if (sections.has("intrusionPrevention")) {
    const ruleIds = overrides ? sorted(c.ruleIds) : model.effectiveComputerRules(c);
    const ips: Record<string, unknown> = { moduleStatus, applicationTypeIDs: applicationTypeIdsOf(model, ruleIds) };
    if (overrides) {
      if (c.ipsState !== "inherited") ips["state"] = c.ipsState;
    } else {
      ips["state"] = model.effectiveComputerState(c);
    }
    ips["ruleIDs"] = ruleIds;
    computer["intrusionPrevention"] = ips;
  }
  if (sections.has("antiMalware")) {
    const am: Record<string, unknown> = { moduleStatus };
    if (!overrides || c.antiMalwareState !== "inherited")
      am["state"] = c.antiMalwareState === "inherited" ? "on" : c.antiMalwareState;
    computer["antiMalware"] = am;
  }
  if (sections.has("integrityMonitoring")) {
    const im: Record<string, unknown> = { moduleStatus, ruleIDs: [] };
    if (!overrides || c.integrityMonitoringState !== "inherited")
      im["state"] = c.integrityMonitoringState === "inherited" ? "real-time" : c.integrityMonitoringState;
    if (c.lastIntegrityScan !== undefined) im["lastIntegrityScan"] = c.lastIntegrityScan;
    computer["integrityMonitoring"] = im;
  }
  return computer;
}

export function renderPolicy(model: TenantModel, p: PolicyState, overrides: boolean): Record<string, unknown> {
  const policy: Record<string, unknown> = {
    ID: p.id,
    name: p.name,
    description: p.description,
    recommendationScanMode: "off",
    autoRequiresUpdate: "on",
  };
  if (p.parentId !== null) policy["parentID"] = p.parentId;
  const ruleIds = overrides ? sorted(p.ruleIds) : model.effectivePolicyRules(p.id);
  // The application types of the rules in force: what the policy protects (overrides: of its own rules).
  const ips: Record<string, unknown> = { applicationTypeIDs: applicationTypeIdsOf(model, ruleIds) };
  if (overrides) {
    if (p.ipsState !== "inherited") ips["state"] = p.ipsState;
  } else {
    ips["state"] = model.effectivePolicyState(p.id);
  }
  ips["ruleIDs"] = ruleIds;
  policy["intrusionPrevention"] = ips;
  return policy;
}

const ISSUED = Date.parse("2024-06-01T00:00:00Z");

export function renderRule(rule: CatalogRule): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    ID: rule.id,
    identifier: rule.identifier,
    name: rule.name,
    description: rule.name,
    minimumAgentVersion: "20.0.0.0",
    // Resolved by the model (the rule's own, else the catalogue's first).
    applicationTypeID: rule.applicationTypeId ?? 1,
    priority: "normal",
    severity: rule.severity ?? "medium",
    detectOnly: rule.detectOnly,
    eventLoggingDisabled: false,
    generateEventOnPacketDrop: true,
    alwaysIncludePacketData: false,
    debugModeEnabled: false,
    type: rule.type ?? (rule.cves.length > 0 ? "vulnerability" : "smart"),
    originalIssue: ISSUED,
    lastUpdated: rule.lastUpdated ?? ISSUED + (rule.id % 365) * 86_400_000,
    recommendationsMode: "enabled",
    canBeAssignedAlone: true,
    CVE: rule.cves,
  };
  if (rule.cvssScore !== undefined) wire["CVSSScore"] = rule.cvssScore.toFixed(2);
  return wire;
}

export function assignmentsAnswer(
  ruleIds: number[],
  scanDate: number | undefined,
  recommendations: Recommendations = NO_RECOMMENDATIONS,
): Record<string, unknown> {
  return {
    assignedRuleIDs: ruleIds,
    assignedApplicationTypeIDs: [],
    recommendationScanStatus: scanDate === undefined ? "none" : "valid",
    ...(scanDate === undefined ? {} : { lastRecommendationScanDate: scanDate }),
    recommendedToAssignRuleIDs: recommendations.toAssign,
    recommendedToUnassignRuleIDs: recommendations.toUnassign,
  };
}

function guid(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = h.toString(16).padStart(8, "0").repeat(4).toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function fingerprint(seed: string): string {
  return guid(seed).replace(/-/g, "").slice(0, 20).match(/../g)!.join(":");
}
