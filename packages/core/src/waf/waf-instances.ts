import type { TenantSnapshot, WsApplicationType } from "../workload-security.js";
import type { ProtectedInstance } from "./waf-classify.js";

/**
 * The protected instances of a tenant snapshot, keyed by instance id, with names resolved from the tenant's own
 * `/applicationtypes`: the application types of the rules each computer has in effect, and those rules' names.
 */
export function protectedInstancesOf(
  snapshot: TenantSnapshot,
  applicationTypes: WsApplicationType[],
): Map<string, ProtectedInstance> {
  const typeNames = new Map(applicationTypes.map((t) => [t.id, t.name]));
  const rules = new Map(snapshot.rules.map((r) => [r.id, r]));
  const policies = new Map((snapshot.policies ?? []).map((p) => [p.id, p.name]));
  const result = new Map<string, ProtectedInstance>();
  for (const computer of snapshot.computers) {
    if (!computer.instanceId) continue;
    const assigned = computer.ipsRuleIds.flatMap((id) => rules.get(id) ?? []);
    const types = assigned.flatMap((r) =>
      r.applicationTypeId === undefined ? [] : (typeNames.get(r.applicationTypeId) ?? []),
    );
    result.set(computer.instanceId, {
      instanceId: computer.instanceId,
      computerId: computer.id,
      policyId: computer.policyId,
      policyName: policies.get(computer.policyId) ?? `policy ${computer.policyId}`,
      applicationTypes: [...new Set(types)].sort(),
      ruleNames: assigned.map((r) => r.name),
    });
  }
  return result;
}
