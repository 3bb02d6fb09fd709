import type {
  Scenario,
  ScenarioDistribution,
  ScenarioInstance,
  ScenarioLoadBalancer,
  ScenarioWebAcl,
  ScenarioWebAclRule,
} from "../scenario/types.js";
import { Random } from "./random.js";

export type WebTiers = Required<Pick<Scenario, "webAcls" | "loadBalancers" | "distributions">>;

/**
 * The odds that shape a web tier, chosen where the issue is silent: up to 3 ALBs an account, most internet-facing,
 * 1–2 target groups of 1–3 instances each, a WebACL on about 60 % of the ALBs (so the rest are flagged when they
 * front protected instances), a CloudFront distribution in front of the first ALB in 40 % of the accounts.
 */
const MAX_LOAD_BALANCERS = 3;
const MAX_TARGET_GROUPS = 2;
const MAX_TARGETS = 3;
const INTERNET_FACING = 0.7;
const WITH_WEB_ACL = 0.6;
const WITH_DISTRIBUTION = 0.4;
const DISTRIBUTION_WITH_WEB_ACL = 0.5;
/** Its own stream, so adding the web tier left every other part of a generated scenario as it was. */
const WEB_TIER_SEED = 0x57eb;

const aws = (name: string) => ({ vendorName: "AWS", name });
const REGIONAL_RULES: ScenarioWebAclRule[] = [
  { name: "rate-limit", priority: 0, rateLimit: 2000 },
  { name: "AWS-AWSManagedRulesCommonRuleSet", priority: 1, managedGroup: aws("AWSManagedRulesCommonRuleSet") },
];
const EDGE_RULES: ScenarioWebAclRule[] = [
  {
    name: "AWS-AWSManagedRulesKnownBadInputsRuleSet",
    priority: 0,
    managedGroup: aws("AWSManagedRulesKnownBadInputsRuleSet"),
  },
];

/**
 * Web tiers for a deterministic `share` of the accounts that have instances: ALBs in the account's region with target
 * groups of its instances, REGIONAL and CLOUDFRONT WebACLs, distributions whose origins are its ALBs.
 */
export function generateWebTiers(seed: number, instances: ScenarioInstance[], share: number): WebTiers {
  const random = new Random(seed ^ WEB_TIER_SEED);
  const tiers: WebTiers = { webAcls: [], loadBalancers: [], distributions: [] };
  for (const own of byAccount(instances).values()) {
    if (!random.chance(share)) continue;
    const tier = accountTier(random, own);
    tiers.webAcls.push(...tier.webAcls);
    tiers.loadBalancers.push(...tier.loadBalancers);
    tiers.distributions.push(...tier.distributions);
  }
  return tiers;
}

function accountTier(random: Random, own: ScenarioInstance[]): WebTiers {
  const { accountId, region } = own[0] as ScenarioInstance;
  const acl: ScenarioWebAcl = {
    accountId,
    region,
    name: "web-acl",
    scope: "REGIONAL",
    defaultAction: "allow",
    rules: REGIONAL_RULES,
  };
  const loadBalancers: ScenarioLoadBalancer[] = [];
  let next = 0;
  const take = (n: number) => Array.from({ length: n }, () => own[next++ % own.length]?.instanceId ?? "");
  for (let i = 1; i <= random.int(1, MAX_LOAD_BALANCERS); i++) {
    const groups = random.int(1, MAX_TARGET_GROUPS);
    loadBalancers.push({
      accountId,
      region,
      name: `web-${i}`,
      scheme: random.chance(INTERNET_FACING) ? "internet-facing" : "internal",
      targetGroups: Array.from({ length: groups }, (_, g) => ({
        name: `web-${i}-tg-${g + 1}`,
        port: 80,
        instanceIds: [...new Set(take(random.int(1, MAX_TARGETS)))],
      })),
      ...(random.chance(WITH_WEB_ACL) ? { webAcl: acl.name } : {}),
    });
  }
  const webAcls = loadBalancers.some((lb) => lb.webAcl) ? [acl] : [];
  const distributions: ScenarioDistribution[] = [];
  if (random.chance(WITH_DISTRIBUTION)) {
    const edge = random.chance(DISTRIBUTION_WITH_WEB_ACL);
    if (edge) webAcls.push({ ...acl, name: "edge-acl", scope: "CLOUDFRONT", region: "us-east-1", rules: EDGE_RULES });
    distributions.push({
      accountId,
      name: "site-1",
      originLoadBalancers: [loadBalancers[0]?.name ?? "web-1"],
      customOrigins: [],
      ...(edge ? { webAcl: "edge-acl" } : {}),
    });
  }
  return { webAcls, loadBalancers, distributions };
}

/** Instances by account, in the order they come; one region an account (as the generator makes them). */
function byAccount(instances: ScenarioInstance[]): Map<string, ScenarioInstance[]> {
  const groups = new Map<string, ScenarioInstance[]>();
  for (const instance of instances) {
    const key = `${instance.accountId}/${instance.region}`;
    const group = groups.get(key);
    if (group) group.push(instance);
    else groups.set(key, [instance]);
  }
  return groups;
}
