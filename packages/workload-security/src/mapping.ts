import {
  WS_MODULES,
  type AgentStatus,
  type IpsRule,
  type IpsState,
  type ModuleStatus,
  type WsComputer as Computer,
  type WsModule,
  type WsPolicy as Policy,
} from "@wshub/core";
import type { WsComputer, WsIpsRule, WsPolicy } from "./api-types.js";

/** Wire objects → domain objects. The spec makes every field optional, so absent values get explicit defaults here. */
export function toIpsRule(wire: WsIpsRule): IpsRule | undefined {
  if (wire.ID === undefined) return undefined;
  const rule: IpsRule = {
    id: wire.ID,
    identifier: wire.identifier ?? String(wire.ID),
    name: wire.name ?? "",
    cves: wire.CVE ?? [],
    detectOnly: wire.detectOnly ?? false,
  };
  if (wire.severity !== undefined) rule.severity = wire.severity;
  if (wire.CVSSScore !== undefined) rule.cvssScore = wire.CVSSScore;
  if (wire.applicationTypeID !== undefined) rule.applicationTypeId = wire.applicationTypeID;
  return rule;
}

export function toComputer(wire: WsComputer): Computer | undefined {
  if (wire.ID === undefined) return undefined;
  const ec2 = wire.ec2VirtualMachineSummary;
  const noConnector = wire.noConnectorVirtualMachineSummary;
  const computer: Computer = {
    id: wire.ID,
    hostName: wire.hostName ?? "",
    policyId: wire.policyID ?? 0,
    ipsRuleIds: wire.intrusionPrevention?.ruleIDs ?? [],
  };
  const instanceId = nonEmpty(ec2?.instanceID) ?? nonEmpty(noConnector?.instanceID);
  if (instanceId !== undefined) computer.instanceId = instanceId;
  const accountId = nonEmpty(ec2?.accountID) ?? nonEmpty(noConnector?.accountID);
  if (accountId !== undefined) computer.awsAccountId = accountId;
  if (wire.displayName) computer.displayName = wire.displayName;
  const agentStatus = wire.computerStatus?.agentStatus as AgentStatus | undefined;
  if (agentStatus !== undefined) computer.agentStatus = agentStatus;
  const ipsState = wire.intrusionPrevention?.state as IpsState | undefined;
  if (ipsState !== undefined) computer.ipsState = ipsState;
  if (wire.lastAgentCommunication !== undefined) computer.lastAgentCommunication = wire.lastAgentCommunication;
  return computer;
}

/** A computer with its module states and status messages (compliance rules), from a search expanding them. */
export function toComplianceComputer(wire: WsComputer): Computer | undefined {
  const computer = toComputer(wire);
  if (computer === undefined) return undefined;
  const messages = wire.computerStatus?.agentStatusMessages;
  if (messages !== undefined) computer.agentStatusMessages = messages;
  const modules: Partial<Record<WsModule, ModuleStatus>> = {};
  for (const name of WS_MODULES) {
    const status = moduleStatusOf(wire[name]);
    if (status !== undefined) modules[name] = status;
  }
  computer.modules = modules;
  return computer;
}

interface WireModule {
  state?: string;
  moduleStatus?: { agentStatus?: string; agentStatusMessage?: string };
}

function moduleStatusOf(wire: WireModule | undefined): ModuleStatus | undefined {
  if (wire === undefined) return undefined;
  const status: ModuleStatus = {};
  if (wire.state !== undefined) status.state = wire.state;
  if (wire.moduleStatus?.agentStatus !== undefined) status.agentStatus = wire.moduleStatus.agentStatus;
  if (wire.moduleStatus?.agentStatusMessage) status.message = wire.moduleStatus.agentStatusMessage;
  return status;
}

export function toPolicy(wire: WsPolicy): Policy | undefined {
  if (wire.ID === undefined) return undefined;
  const policy: Policy = { id: wire.ID, name: wire.name ?? `policy ${wire.ID}` };
  if (wire.parentID !== undefined && wire.parentID !== 0) policy.parentId = wire.parentID;
  return policy;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
