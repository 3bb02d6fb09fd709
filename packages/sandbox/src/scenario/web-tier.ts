import { applicationTypesOf } from "../workload-security/application-types.js";
import type { Scenario, ScenarioLoadBalancer, ScenarioWebAcl } from "./types.js";

/** CloudFront and WAF's CLOUDFRONT scope live in us-east-1. */
export const CLOUDFRONT_REGION = "us-east-1";

/** The web tier's defaults (the schema's), applied in place: absent lists are empty, a WebACL's region is fixed. */
export function applyWebTierDefaults(s: Scenario): void {
  s.webAcls = (s.webAcls ?? []).map((acl) => ({
    ...acl,
    scope: acl.scope ?? "REGIONAL",
    region: acl.scope === "CLOUDFRONT" ? CLOUDFRONT_REGION : (acl.region ?? s.homeRegion),
    defaultAction: acl.defaultAction ?? "allow",
    rules: acl.rules ?? [],
  }));
  s.loadBalancers = (s.loadBalancers ?? []).map((lb) => ({
    ...lb,
    scheme: lb.scheme ?? "internet-facing",
    targetGroups: (lb.targetGroups ?? []).map((g) => ({ ...g, port: g.port ?? 80 })),
  }));
  s.distributions = (s.distributions ?? []).map((d) => ({
    ...d,
    originLoadBalancers: d.originLoadBalancers ?? [],
    customOrigins: d.customOrigins ?? [],
  }));
}

/** The key a WebACL is named by from a load balancer (REGIONAL) or a distribution (CLOUDFRONT). */
function aclKey(acl: Pick<ScenarioWebAcl, "accountId" | "scope" | "region" | "name">): string {
  return `${acl.accountId}/${acl.scope}/${acl.scope === "CLOUDFRONT" ? CLOUDFRONT_REGION : acl.region}/${acl.name}`;
}

/** What the schema cannot say about the web tier: names unique where AWS wants them, references that resolve. */
export function checkWebTier(s: Scenario, accountIds: Set<string>): string[] {
  const problems: string[] = [];
  const account = (at: string, id: string) => {
    if (!accountIds.has(id)) problems.push(`${at}/accountId: account ${id} is not in accounts`);
  };
  const acls = new Set<string>();
  (s.webAcls ?? []).forEach((acl, i) => {
    account(`/webAcls/${i}`, acl.accountId);
    if (acls.has(aclKey(acl))) problems.push(`/webAcls/${i}/name: duplicate WebACL ${acl.name} in its scope`);
    acls.add(aclKey(acl));
    const priorities = new Set<number>();
    acl.rules.forEach((rule, r) => {
      if (priorities.has(rule.priority)) problems.push(`/webAcls/${i}/rules/${r}/priority: duplicate priority`);
      priorities.add(rule.priority);
    });
  });
  const instances = new Map(s.instances.map((inst) => [inst.instanceId, inst]));
  const lbNames = new Set<string>();
  (s.loadBalancers ?? []).forEach((lb, i) => {
    const at = `/loadBalancers/${i}`;
    account(at, lb.accountId);
    // Distributions name their origins by load balancer name within the account.
    if (lbNames.has(`${lb.accountId}/${lb.name}`))
      problems.push(`${at}/name: duplicate load balancer ${lb.name} in account ${lb.accountId}`);
    lbNames.add(`${lb.accountId}/${lb.name}`);
    problems.push(...targetProblems(lb, at, instances));
    const acl = { accountId: lb.accountId, scope: "REGIONAL" as const, region: lb.region, name: lb.webAcl ?? "" };
    if (lb.webAcl !== undefined && !acls.has(aclKey(acl)))
      problems.push(`${at}/webAcl: no REGIONAL WebACL ${lb.webAcl} in ${lb.accountId} ${lb.region}`);
  });
  const distributionNames = new Set<string>();
  (s.distributions ?? []).forEach((d, i) => {
    const at = `/distributions/${i}`;
    account(at, d.accountId);
    if (distributionNames.has(`${d.accountId}/${d.name}`))
      problems.push(`${at}/name: duplicate distribution ${d.name}`);
    distributionNames.add(`${d.accountId}/${d.name}`);
    if (d.originLoadBalancers.length + d.customOrigins.length === 0)
      problems.push(`${at}: a distribution needs an origin`);
    d.originLoadBalancers.forEach((name, o) => {
      if (!lbNames.has(`${d.accountId}/${name}`))
        problems.push(`${at}/originLoadBalancers/${o}: no load balancer ${name} in account ${d.accountId}`);
    });
    const acl = {
      accountId: d.accountId,
      scope: "CLOUDFRONT" as const,
      region: CLOUDFRONT_REGION,
      name: d.webAcl ?? "",
    };
    if (d.webAcl !== undefined && !acls.has(aclKey(acl)))
      problems.push(`${at}/webAcl: no CLOUDFRONT WebACL ${d.webAcl} in ${d.accountId}`);
  });
  return problems;
}

function targetProblems(
  lb: ScenarioLoadBalancer,
  at: string,
  instances: Map<string, { accountId: string; region: string }>,
): string[] {
  const problems: string[] = [];
  lb.targetGroups.forEach((group, g) =>
    group.instanceIds.forEach((id, t) => {
      const instance = instances.get(id);
      if (!instance || instance.accountId !== lb.accountId || instance.region !== lb.region)
        problems.push(
          `${at}/targetGroups/${g}/instanceIds/${t}: ${id} is not an instance of ${lb.accountId} ${lb.region}`,
        );
    }),
  );
  return problems;
}

/** Application types unique by id in a tenant, and every rule's type one of them. */
export function checkApplicationTypes(s: Scenario): string[] {
  const problems: string[] = [];
  s.workloadSecurity.tenants.forEach((tenant, t) => {
    const at = `/workloadSecurity/tenants/${t}`;
    const ids = new Set<number>();
    applicationTypesOf(tenant).forEach((type, i) => {
      if (ids.has(type.id)) problems.push(`${at}/applicationTypes/${i}/id: duplicate id ${type.id}`);
      ids.add(type.id);
    });
    tenant.ipsRules.forEach((rule, r) => {
      if (rule.applicationTypeId !== undefined && !ids.has(rule.applicationTypeId))
        problems.push(`${at}/ipsRules/${r}/applicationTypeId: ${rule.applicationTypeId} is not in applicationTypes`);
    });
  });
  return problems;
}
