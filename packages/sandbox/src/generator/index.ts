import { appendAll } from "@wshub/core";
import type { Scenario, ScenarioFinding, ScenarioInstance } from "../scenario/types.js";
import { accountFindings } from "./findings.js";
import { generateOrganization, HUB_ACCOUNT, MANAGEMENT_ACCOUNT, tenantNames } from "./organization.js";
import { Random } from "./random.js";
import { SIZE_PRESETS, type GeneratorShape, type ScenarioSize } from "./shape.js";
<<<<<<< HEAD
import { catalog } from "./catalog.js";
import { tenant, type TenantInstance } from "./workload-security.js";
=======
import { generateWebTiers } from "./web-tiers.js";
import { catalog, tenant, type TenantInstance } from "./workload-security.js";
>>>>>>> wafsandbox
import { universe } from "./vulnerabilities.js";

export { SIZE_PRESETS, type GeneratorShape, type ScenarioSize } from "./shape.js";
export { writeScenarioFile } from "./write.js";

export interface GeneratedScenario {
  scenario: Scenario;
  /** A hub tenant mapping that fits the scenario (the hub configuration is not part of a scenario). */
  mapping: { organizationalUnits: Record<string, string>; accounts: Record<string, string>; tagKey: string };
  facts: {
    accounts: number;
    findings: number;
    findingsPerAccount: Record<string, number>;
    instances: number;
    computersPerTenant: Record<string, number>;
    rulesPerTenant: number;
    rulesWithCves: number;
    /** Distinct (account, region, instance, vulnerability) among active EC2 package findings. */
    coverageUnits: number;
    suspendedAccounts: string[];
    /** Accounts with a web tier, and its load balancers, target groups, WebACLs and distributions. */
    webTier: { accounts: number; loadBalancers: number; targetGroups: number; webAcls: number; distributions: number };
    accountsWithoutMemberRole: string[];
    generationMs: number;
  };
}

/** Mixed into the seed for the catalog's own stream of draws. */
const CATALOG_STREAM = 0x5eed_ca7a;

/** Deterministic: the same seed and shape give the same scenario, byte for byte. */
export function generateScenario(options: {
  seed: number;
  size?: ScenarioSize;
  shape?: Partial<GeneratorShape>;
}): GeneratedScenario {
  const started = performance.now();
  const shape: GeneratorShape = { ...SIZE_PRESETS[options.size ?? "tiny"], ...options.shape };
  const random = new Random(options.seed);
  const baseDate = Date.parse("2026-11-16T09:00:00Z") - (options.seed % 7) * 86_400_000;
  const tenants = tenantNames(shape.tenants);
  const org = generateOrganization(random, shape.accounts, shape.findings, tenants);
  const vulnerabilities = universe(random, Math.max(20, Math.round(shape.findings / 20)));
  // The catalog draws from its own stream, so its shape can change without moving any other generated value.
  const catalogue = catalog(
    new Random(options.seed ^ CATALOG_STREAM),
    shape.rulesPerTenant,
    vulnerabilities,
    shape.ruleCoverage,
  );

  const instances: ScenarioInstance[] = [];
  const findings: ScenarioFinding[] = [];
  const arnCounter = { next: 1 };
  const findingsPerAccount: Record<string, number> = {};
  let instanceCounter = 1;
  for (const { account, findings: count } of org.workload) {
    const region = shape.regions[instanceCounter % shape.regions.length] as string;
    const withFindings = Math.max(1, Math.ceil(count / shape.findingsPerInstance));
    const idle = Math.ceil(withFindings * 0.1);
    const own: ScenarioInstance[] = [];
    for (let i = 0; i < withFindings + idle; i++) {
      const instanceId = `i-0${(instanceCounter++).toString(16).padStart(16, "0")}`;
      const name = `${account.name}-${["web", "api", "db", "batch", "cache"][i % 5]}-${i}`;
      own.push({
        accountId: account.id,
        region,
        instanceId,
        name,
        tags: { Name: name, Environment: account.ouId.includes("np") ? "nonprod" : "prod" },
      });
    }
    appendAll(instances, own);
    appendAll(
      findings,
      accountFindings(
        random,
        { id: account.id, region },
        count,
        own.slice(0, withFindings),
        vulnerabilities,
        baseDate,
        arnCounter,
      ),
    );
    findingsPerAccount[account.id] = count;
  }

  const tenantOf = tenantResolver(org);
  const tenantInstances = new Map<string, TenantInstance[]>(tenants.map((t) => [t, []]));
  for (const instance of instances) {
    const t = tenantOf(instance.accountId);
    if (t)
      tenantInstances.get(t)?.push({
        accountId: instance.accountId,
        region: instance.region,
        instanceId: instance.instanceId,
        name: instance.name ?? instance.instanceId,
      });
  }
  const scenarioTenants = tenants.map((name, i) =>
    tenant(random, name, i, catalogue, tenantInstances.get(name) ?? [], {
      computers: shape.computersPerTenant,
      agentCoverage: shape.agentCoverage,
      baseDate,
    }),
  );

  const webTiers = generateWebTiers(options.seed, instances, shape.webTierShare);
  const scenario: Scenario = {
    scenarioVersion: 1,
    name: `generated-${options.size ?? "custom"}-${options.seed}`,
    description: `Generated by wshub's scenario generator (seed ${options.seed}): ${shape.accounts} accounts, ${shape.findings} findings, ${shape.tenants} tenants.`,
    homeRegion: shape.regions[0] as string,
    organization: {
      managementAccountId: MANAGEMENT_ACCOUNT,
      hubAccountId: HUB_ACCOUNT,
      organizationalUnits: org.organizationalUnits,
      accounts: org.accounts,
    },
    instances,
    ...webTiers,
    findings,
    workloadSecurity: { tenants: scenarioTenants },
  };
  const units = new Set<string>();
  for (const f of findings)
    if (f.status === "ACTIVE" && f.type === "PACKAGE_VULNERABILITY" && f.resourceType === "AWS_EC2_INSTANCE")
      units.add(`${f.accountId}|${f.region}|${f.resourceId}|${f.vulnerabilityId}`);
  return {
    scenario,
    mapping: org.mapping,
    facts: {
      accounts: org.accounts.length,
      findings: findings.length,
      findingsPerAccount,
      instances: instances.length,
      computersPerTenant: Object.fromEntries(scenarioTenants.map((t) => [t.name, t.computers.length])),
      rulesPerTenant: shape.rulesPerTenant,
      rulesWithCves: catalogue.rules.filter((r) => r.cves.length > 0).length,
      coverageUnits: units.size,
      webTier: {
        accounts: new Set(webTiers.loadBalancers.map((lb) => lb.accountId)).size,
        loadBalancers: webTiers.loadBalancers.length,
        targetGroups: webTiers.loadBalancers.reduce((n, lb) => n + lb.targetGroups.length, 0),
        webAcls: webTiers.webAcls.length,
        distributions: webTiers.distributions.length,
      },
      suspendedAccounts: org.accounts.filter((a) => a.status === "SUSPENDED").map((a) => a.id),
      accountsWithoutMemberRole: org.accounts.filter((a) => !a.memberRoleDeployed).map((a) => a.id),
      generationMs: Math.round(performance.now() - started),
    },
  };
}

/** The tenant each account maps to under the generated mapping (tag, then nearest OU), as the hub will decide. */
function tenantResolver(org: ReturnType<typeof generateOrganization>): (accountId: string) => string | undefined {
  const parent = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
  const accounts = new Map(org.accounts.map((a) => [a.id, a]));
  return (accountId) => {
    const account = accounts.get(accountId);
    if (!account) return undefined;
    const tagged = account.tags[org.mapping.tagKey];
    if (tagged) return tagged;
    for (let ou: string | undefined = account.ouId; ou && ou !== "root"; ou = parent.get(ou)) {
      const mapped = org.mapping.organizationalUnits[ou];
      if (mapped) return mapped;
    }
    return undefined;
  };
}
