import { CloudFrontClient, GetDistributionConfigCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import {
  GetWebACLCommand,
  GetWebACLForResourceCommand,
  ListAvailableManagedRuleGroupsCommand,
  ListResourcesForWebACLCommand,
  ListWebACLsCommand,
  WAFV2Client,
  type ManagedRuleGroupSummary,
} from "@aws-sdk/client-wafv2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsSandbox, type AwsCredentials, type AwsSandbox } from "../src/aws/index.js";
import { WAF_WRITE_ROLE_NAME } from "../src/aws/seed/accounts.js";
import { CallCounter } from "../src/control/stats.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";

/** waf-small through the AWS front: what moto serves (ELBv2, WAFv2, CloudFront) and what the front fills in. */
const WEB_PROD = "333333333333";
const counter = new CallCounter();
let sandbox: AwsSandbox;
let member: AwsCredentials;

beforeAll(async () => {
  sandbox = await startAwsSandbox({
    scenario: loadScenarioFile(builtInScenarioPath("waf-small")),
    counter,
    // Nothing here calls DynamoDB or Inspector.
    dynamodbEndpoint: "http://127.0.0.1:9",
    inspector2: async () => ({ status: 404, headers: {}, body: "{}" }),
  });
  member = await assume(`arn:aws:iam::${WEB_PROD}:role/${sandbox.memberRole.name}`);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

const config = (region = "us-east-1") => ({ endpoint: sandbox.endpoint, region, credentials: member });

async function assume(roleArn: string): Promise<AwsCredentials> {
  const sts = new STSClient({ endpoint: sandbox.endpoint, region: "us-east-1", credentials: sandbox.credentials.hub });
  const answer = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "waf-test", ExternalId: sandbox.memberRole.externalId }),
  );
  return {
    accessKeyId: answer.Credentials?.AccessKeyId ?? "",
    secretAccessKey: answer.Credentials?.SecretAccessKey ?? "",
    sessionToken: answer.Credentials?.SessionToken ?? "",
  };
}

async function loadBalancerArns(): Promise<Record<string, string>> {
  const answer = await new ElasticLoadBalancingV2Client(config()).send(new DescribeLoadBalancersCommand({}));
  return Object.fromEntries((answer.LoadBalancers ?? []).map((lb) => [lb.LoadBalancerName, lb.LoadBalancerArn]));
}

async function webAclArn(scope: "REGIONAL" | "CLOUDFRONT", name: string): Promise<string> {
  const answer = await new WAFV2Client(config()).send(new ListWebACLsCommand({ Scope: scope }));
  return answer.WebACLs?.find((acl) => acl.Name === name)?.ARN ?? "";
}

describe("waf-small: the web tier seeded in moto", () => {
  it("has the three ALBs with their schemes, targets and WebACLs", async () => {
    const elbv2 = new ElasticLoadBalancingV2Client(config());
    const lbs = (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    expect(lbs.map((lb) => [lb.LoadBalancerName, lb.Scheme, lb.Type]).sort()).toEqual([
      ["api-public", "internet-facing", "application"],
      ["cms-origin", "internal", "application"],
      ["web-alb", "internet-facing", "application"],
    ]);
    const groups = (await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const targets = await Promise.all(
      groups.map(async (g) => {
        const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: g.TargetGroupArn }));
        return [g.TargetGroupName, (health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id)];
      }),
    );
    expect(targets.sort()).toEqual([
      ["api-tg", ["i-0d30000000000003"]],
      ["cms-tg", ["i-0d20000000000002"]],
      ["web-tg", ["i-0d10000000000001"]],
    ]);
    const arns = await loadBalancerArns();
    const wafv2 = new WAFV2Client(config());
    const aclOf = async (name: string) =>
      (await wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: arns[name] }))).WebACL?.Name ?? "none";
    expect([await aclOf("web-alb"), await aclOf("api-public"), await aclOf("cms-origin")]).toEqual([
      "web-acl",
      "none",
      "none",
    ]);
    const acl = await wafv2.send(
      new GetWebACLCommand({
        Scope: "REGIONAL",
        Name: "web-acl",
        Id: (await webAclArn("REGIONAL", "web-acl")).split("/").pop(),
      }),
    );
    expect(acl.WebACL?.Rules?.map((r) => [r.Name, r.Priority])).toEqual([
      ["rate-limit", 0],
      ["AWS-AWSManagedRulesCommonRuleSet", 1],
    ]);
  });

  it("puts the distribution in front of the internal ALB, with its CLOUDFRONT WebACL", async () => {
    const cloudfront = new CloudFrontClient(config());
    const items = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
    expect(items).toHaveLength(1);
    const distribution = await cloudfront.send(new GetDistributionConfigCommand({ Id: items[0]?.Id }));
    const cms = await new ElasticLoadBalancingV2Client(config()).send(
      new DescribeLoadBalancersCommand({ Names: ["cms-origin"] }),
    );
    expect(distribution.DistributionConfig?.Origins?.Items?.map((o) => o.DomainName)).toEqual([
      cms.LoadBalancers?.[0]?.DNSName,
    ]);
    expect(distribution.DistributionConfig?.WebACLId).toBe(await webAclArn("CLOUDFRONT", "cms-edge-acl"));
    // moto's summaries lack both; the front fills them in, as AWS's DistributionSummary has them.
    expect(items[0]?.Origins?.Items?.map((o) => o.DomainName)).toEqual([cms.LoadBalancers?.[0]?.DNSName]);
    expect(items[0]?.WebACLId).toBe(distribution.DistributionConfig?.WebACLId);
  });

  it("deploys the WAF write role next to the member role", async () => {
    const writer = await assume(`arn:aws:iam::${WEB_PROD}:role/${WAF_WRITE_ROLE_NAME}`);
    expect(writer.accessKeyId).not.toBe("");
  });
});

describe("what the front fills in for WAFv2", () => {
  it("serves ListResourcesForWebACL from moto's associations", async () => {
    const wafv2 = new WAFV2Client(config());
    const arns = await loadBalancerArns();
    const answer = await wafv2.send(
      new ListResourcesForWebACLCommand({ WebACLArn: await webAclArn("REGIONAL", "web-acl") }),
    );
    expect(answer.ResourceArns).toEqual([arns["web-alb"]]);
    const other = await wafv2.send(
      new ListResourcesForWebACLCommand({
        WebACLArn: await webAclArn("REGIONAL", "web-acl"),
        ResourceType: "API_GATEWAY",
      }),
    );
    expect(other.ResourceArns).toEqual([]);
    expect(counter.snapshot()["wafv2"]?.byOperation["ListResourcesForWebACL"]).toBeGreaterThanOrEqual(2);
  });

  it("refuses a CLOUDFRONT WebACL and one that does not exist, as WAF does", async () => {
    const wafv2 = new WAFV2Client(config());
    const global = await webAclArn("CLOUDFRONT", "cms-edge-acl");
    await expect(wafv2.send(new ListResourcesForWebACLCommand({ WebACLArn: global }))).rejects.toMatchObject({
      name: "WAFInvalidParameterException",
    });
    const missing = `arn:aws:wafv2:us-east-1:${WEB_PROD}:regional/webacl/gone/00000000-0000-4000-8000-000000000000`;
    await expect(wafv2.send(new ListResourcesForWebACLCommand({ WebACLArn: missing }))).rejects.toMatchObject({
      name: "WAFNonexistentItemException",
    });
  });

  it("serves the AWS Managed Rules catalogue in pages, for both scopes", async () => {
    const all = async (scope: "REGIONAL" | "CLOUDFRONT") => {
      const wafv2 = new WAFV2Client(config());
      const groups: ManagedRuleGroupSummary[] = [];
      let marker: string | undefined;
      do {
        const page = await wafv2.send(
          new ListAvailableManagedRuleGroupsCommand({ Scope: scope, Limit: 4, NextMarker: marker }),
        );
        groups.push(...(page.ManagedRuleGroups ?? []));
        marker = page.NextMarker;
      } while (marker);
      return groups;
    };
    const regional = await all("REGIONAL");
    expect(regional.map((g) => g.Name)).toEqual(
      expect.arrayContaining([
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesWordPressRuleSet",
      ]),
    );
    expect(new Set(regional.map((g) => g.VendorName))).toEqual(new Set(["AWS"]));
    expect(new Set(regional.map((g) => g.Name)).size).toBe(regional.length);
    expect(await all("CLOUDFRONT")).toEqual(regional);
    const elsewhere = new WAFV2Client(config("eu-west-1"));
    await expect(
      elsewhere.send(new ListAvailableManagedRuleGroupsCommand({ Scope: "CLOUDFRONT" })),
    ).rejects.toMatchObject({ name: "WAFInvalidParameterException" });
  });
});
