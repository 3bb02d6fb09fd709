import type { ComplianceFleet, WsComputer } from "@wshub/core";

/** A tenant's fleet as the rules read it: instance id → its computer, policy id → name. */
export interface FleetIndex {
  tenant: string;
  /** The computer carrying the instance id with the most recent agent communication. */
  computerOf(instanceId: string): WsComputer | undefined;
  policyName(policyId: number): string | undefined;
}

export function fleetIndex(fleet: ComplianceFleet): FleetIndex {
  const byInstance = new Map<string, WsComputer>();
  for (const computer of fleet.computers) {
    if (!computer.instanceId) continue;
    const current = byInstance.get(computer.instanceId);
    if (!current || moreRecent(computer, current)) byInstance.set(computer.instanceId, computer);
  }
  const names = new Map(fleet.policies.map((policy) => [policy.id, policy.name]));
  return {
    tenant: fleet.tenant,
    computerOf: (instanceId) => byInstance.get(instanceId),
    policyName: (policyId) => names.get(policyId),
  };
}

function moreRecent(a: WsComputer, b: WsComputer): boolean {
  const difference = (a.lastAgentCommunication ?? -1) - (b.lastAgentCommunication ?? -1);
  return difference !== 0 ? difference > 0 : a.id < b.id;
}
