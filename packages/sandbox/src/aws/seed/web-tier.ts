import { CreateDistributionCommand, type Origin } from "@aws-sdk/client-cloudfront";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { AssociateWebACLCommand, CreateWebACLCommand, type Rule } from "@aws-sdk/client-wafv2";
import type {
  Scenario,
  ScenarioDistribution,
  ScenarioLoadBalancer,
  ScenarioWebAcl,
  ScenarioWebAclRule,
} from "../../scenario/types.js";
import { CLOUDFRONT_REGION } from "../../scenario/web-tier.js";
import type { SeedClients } from "./clients.js";

/** What one account's web tier is made of (the scenario's lists, filtered to the account). */
export interface AccountWebTier {
  webAcls: ScenarioWebAcl[];
  loadBalancers: ScenarioLoadBalancer[];
  distributions: ScenarioDistribution[];
}

const VPC_CIDR = "10.0.0.0/16";
const SUBNETS = [
  { cidr: "10.0.1.0/24", zone: "a" },
  { cidr: "10.0.2.0/24", zone: "b" },
];
/** The first target group's listener port; each further group gets the next port. */
const FIRST_LISTENER_PORT = 80;

/** The web tier of every account, keyed by account id. */
export function webTiersByAccount(scenario: Scenario): Map<string, AccountWebTier> {
  const tiers = new Map<string, AccountWebTier>();
  const tierOf = (accountId: string) => {
    let tier = tiers.get(accountId);
    if (!tier) {
      tier = { webAcls: [], loadBalancers: [], distributions: [] };
      tiers.set(accountId, tier);
    }
    return tier;
  };
  for (const acl of scenario.webAcls ?? []) tierOf(acl.accountId).webAcls.push(acl);
  for (const lb of scenario.loadBalancers ?? []) tierOf(lb.accountId).loadBalancers.push(lb);
  for (const d of scenario.distributions ?? []) tierOf(d.accountId).distributions.push(d);
  return tiers;
}

/**
 * One account's web tier in moto, through the real APIs an administrator would call (in the current account, see
 * SeedClients.as): its WebACLs, a VPC with two subnets in each region with load balancers, each ALB with its target
 * groups (a listener each, instances registered) and WebACL association, then the distributions in front of them.
 */
export async function seedWebTier(clients: SeedClients, tier: AccountWebTier): Promise<void> {
  const aclArns = new Map<string, string>();
  for (const acl of tier.webAcls) aclArns.set(aclKey(acl.scope, acl.name), await createWebAcl(clients, acl));
  const dnsNames = new Map<string, string>();
  const subnetsByRegion = new Map<string, { vpcId: string; subnetIds: string[] }>();
  for (const lb of tier.loadBalancers) {
    let network = subnetsByRegion.get(lb.region);
    if (!network) {
      network = await createNetwork(clients, lb.region);
      subnetsByRegion.set(lb.region, network);
    }
    const created = await createLoadBalancer(clients, lb, network);
    dnsNames.set(lb.name, created.dnsName);
    if (lb.webAcl !== undefined)
      await clients.wafv2(lb.region).send(
        new AssociateWebACLCommand({
          WebACLArn: aclArns.get(aclKey("REGIONAL", lb.webAcl)),
          ResourceArn: created.arn,
        }),
      );
  }
  for (const distribution of tier.distributions)
    await createDistribution(clients, distribution, dnsNames, aclArns.get(aclKey("CLOUDFRONT", distribution.webAcl)));
}

function aclKey(scope: ScenarioWebAcl["scope"], name: string | undefined): string {
  return `${scope}/${name ?? ""}`;
}

async function createWebAcl(clients: SeedClients, acl: ScenarioWebAcl): Promise<string> {
  const region = acl.scope === "CLOUDFRONT" ? CLOUDFRONT_REGION : acl.region;
  const answer = await clients.wafv2(region).send(
    new CreateWebACLCommand({
      Name: acl.name,
      Scope: acl.scope,
      DefaultAction: acl.defaultAction === "block" ? { Block: {} } : { Allow: {} },
      VisibilityConfig: visibility(acl.name),
      Rules: acl.rules.map(wafRule),
    }),
  );
  return answer.Summary?.ARN ?? "";
}

function wafRule(rule: ScenarioWebAclRule): Rule {
  const common = { Name: rule.name, Priority: rule.priority, VisibilityConfig: visibility(rule.name) };
  if (rule.managedGroup)
    return {
      ...common,
      Statement: {
        ManagedRuleGroupStatement: { VendorName: rule.managedGroup.vendorName, Name: rule.managedGroup.name },
      },
      OverrideAction: { None: {} },
    };
  return {
    ...common,
    Statement: { RateBasedStatement: { Limit: rule.rateLimit ?? 1000, AggregateKeyType: "IP" } },
    Action: { Block: {} },
  };
}

function visibility(metricName: string) {
  return { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: metricName };
}

async function createNetwork(clients: SeedClients, region: string): Promise<{ vpcId: string; subnetIds: string[] }> {
  const ec2 = clients.ec2(region);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: VPC_CIDR }))).Vpc?.VpcId ?? "";
  const subnetIds: string[] = [];
  for (const subnet of SUBNETS) {
    const answer = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnet.cidr, AvailabilityZone: `${region}${subnet.zone}` }),
    );
    subnetIds.push(answer.Subnet?.SubnetId ?? "");
  }
  return { vpcId, subnetIds };
}

async function createLoadBalancer(
  clients: SeedClients,
  lb: ScenarioLoadBalancer,
  network: { vpcId: string; subnetIds: string[] },
): Promise<{ arn: string; dnsName: string }> {
  const elbv2 = clients.elbv2(lb.region);
  const created = await elbv2.send(
    new CreateLoadBalancerCommand({
      Name: lb.name,
      Subnets: network.subnetIds,
      Scheme: lb.scheme,
      Type: "application",
    }),
  );
  const arn = created.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
  for (const [i, group] of lb.targetGroups.entries()) {
    const answer = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: group.name,
        Protocol: "HTTP",
        Port: group.port,
        VpcId: network.vpcId,
        TargetType: "instance",
      }),
    );
    const groupArn = answer.TargetGroups?.[0]?.TargetGroupArn ?? "";
    // The listener is what ties the group to the load balancer (DescribeTargetGroups' LoadBalancerArns).
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: "HTTP",
        Port: FIRST_LISTENER_PORT + i,
        DefaultActions: [{ Type: "forward", TargetGroupArn: groupArn }],
      }),
    );
    if (group.instanceIds.length > 0)
      await elbv2.send(
        new RegisterTargetsCommand({
          TargetGroupArn: groupArn,
          Targets: group.instanceIds.map((Id) => ({ Id, Port: group.port })),
        }),
      );
  }
  return { arn, dnsName: created.LoadBalancers?.[0]?.DNSName ?? "" };
}

async function createDistribution(
  clients: SeedClients,
  d: ScenarioDistribution,
  dnsNames: Map<string, string>,
  webAclArn: string | undefined,
): Promise<void> {
  const domains = [...d.originLoadBalancers.map((name) => dnsNames.get(name) ?? name), ...d.customOrigins];
  const origins: Origin[] = domains.map((domain, i) => ({
    Id: `origin-${i + 1}`,
    DomainName: domain,
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "https-only" },
  }));
  const webAclId = webAclArn ?? d.classicWebAclId;
  await clients.cloudfront().send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: d.name,
        Comment: d.name,
        Enabled: true,
        Origins: { Quantity: origins.length, Items: origins },
        DefaultCacheBehavior: { TargetOriginId: "origin-1", ViewerProtocolPolicy: "redirect-to-https" },
        ...(webAclId ? { WebACLId: webAclId } : {}),
      },
    }),
  );
}
