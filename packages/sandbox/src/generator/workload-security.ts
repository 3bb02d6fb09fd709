import type {
  ScenarioComputer,
  ScenarioIpsRule,
  ScenarioPolicy,
  ScenarioTenant,
  AgentStatus,
} from "../scenario/types.js";
import type { Random } from "./random.js";
import type { Catalog } from "./catalog.js";

export interface TenantInstance {
  accountId: string;
  region: string;
  instanceId: string;
  name: string;
}

const AGENT: { status: AgentStatus; upTo: number }[] = [
  { status: "active", upTo: 0.85 },
  { status: "warning", upTo: 0.91 },
  { status: "inactive", upTo: 0.95 },
  { status: "error", upTo: 0.98 },
  { status: "not-supported", upTo: 1 },
];

/**
 * A tenant: the catalog under local IDs, a policy tree three deep with rules at several levels and a detect and an
 * off branch, and computers for the tenant's instances (most with an agent, some only through the agent-reported
 * summary, a few duplicates), padded with computers that are not EC2 instances.
 */
export function tenant(
  random: Random,
  name: string,
  index: number,
  catalogue: Catalog,
  instances: TenantInstance[],
  options: { computers: number; agentCoverage: number; baseDate: number },
): ScenarioTenant {
  const offset = 100_000 * (index + 1);
  const ipsRules: ScenarioIpsRule[] = catalogue.rules.map((rule, i) => ({ id: offset + i + 1, ...rule }));
  const ruleId = (catalogIndex: number) => offset + catalogIndex + 1;
  const covering = catalogue.coveringRules;
  const sample = (count: number) =>
    Array.from({ length: Math.min(count, covering.length) }, () => ruleId(random.pick(covering)));
  const smart = catalogue.rules
    .map((r, i) => (r.cves.length === 0 ? i : -1))
    .filter((i) => i >= 0)
    .slice(0, 40)
    .map(ruleId);
  const p = (
    id: number,
    policyName: string,
    parentId: number | null,
    ipsState: ScenarioPolicy["ipsState"],
    ipsRuleIds: number[],
  ): ScenarioPolicy => ({
    id: offset + id,
    name: policyName,
    parentId: parentId === null ? null : offset + parentId,
    ipsState,
    ipsRuleIds: [...new Set(ipsRuleIds)].sort((a, b) => a - b),
  });
  const policies = [
    p(1, "Base Policy", null, "prevent", [...smart, ...sample(Math.round(covering.length * 0.1))]),
    p(2, "Linux Server", 1, "inherited", sample(Math.round(covering.length * 0.25))),
    p(3, "Windows Server", 1, "inherited", sample(Math.round(covering.length * 0.15))),
    p(4, "Linux Web", 2, "inherited", sample(Math.round(covering.length * 0.15))),
    p(5, "Linux Database", 2, "detect", sample(Math.round(covering.length * 0.1))),
    p(6, "Linux Batch", 2, "off", []),
    p(7, "Windows App", 3, "inherited", sample(Math.round(covering.length * 0.1))),
  ];
  const leafPolicies = [offset + 4, offset + 4, offset + 5, offset + 6, offset + 7, offset + 2];
  const computers: ScenarioComputer[] = [];
  const computer = (ec2: ScenarioComputer["ec2"], hostName: string, lastSeen: number): ScenarioComputer => {
    const roll = random.float();
    const agentStatus = (AGENT.find((a) => roll < a.upTo) as (typeof AGENT)[number]).status;
    return {
      id: offset + computers.length + 1,
      hostName,
      displayName: hostName,
      policyId: random.chance(0.02) ? 0 : random.pick(leafPolicies),
      ec2,
      agentStatus,
      ipsState: random.chance(0.03) ? "off" : "inherited",
      ipsRuleIds: random.chance(0.1) ? sample(random.int(1, 5)) : [],
      antiMalwareState: "inherited",
      integrityMonitoringState: "inherited",
      lastAgentCommunication: new Date(lastSeen).toISOString(),
    };
  };
  for (const instance of instances) {
    if (!random.chance(options.agentCoverage)) continue;
    const ec2 = {
      instanceId: instance.instanceId,
      accountId: instance.accountId,
      region: instance.region,
      viaConnector: random.chance(0.8),
    };
    const lastSeen = options.baseDate - random.int(0, 72) * 3_600_000;
    computers.push(computer(ec2, instance.name, lastSeen));
    // A re-activated agent leaves a stale duplicate behind now and then.
    if (random.chance(0.01)) computers.push(computer(ec2, `${instance.name}-old`, lastSeen - 30 * 86_400_000));
  }
  while (computers.length < options.computers)
    computers.push(
      computer(null, `onprem-${name}-${computers.length}`, options.baseDate - random.int(0, 200) * 3_600_000),
    );
  return {
    name,
    region: random.pick(["us-1", "de-1", "gb-1", "jp-1", "sg-1"]),
    apiKey: `sandbox-key-${name}-${String(index).padStart(4, "0")}-${random.hex(12)}`,
    ipsRules,
    policies,
    computers,
  };
}
