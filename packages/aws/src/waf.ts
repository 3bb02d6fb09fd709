import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { GetDistributionConfigCommand, paginateListDistributions } from "@aws-sdk/client-cloudfront";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DescribeTargetHealthCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GetWebACLCommand,
  GetWebACLForResourceCommand,
  ListAvailableManagedRuleGroupsCommand,
  type Rule,
  type WAFV2Client,
  type WebACL,
} from "@aws-sdk/client-wafv2";
import {
  ERROR_CODES,
  WshubError,
  webAclRefOf,
  type AlbInfo,
  type DistributionInfo,
  type LiveWebAcl,
  type ManagedGroupRef,
  type WafReader,
  type WebAclRule,
} from "@wshub/core";
import { countedPages, type RequestTally } from "./paging.js";
import { awsErrorMessage, awsErrorName, isAccessDenied } from "./sdk-errors.js";

/** DescribeLoadBalancers and DescribeTargetGroups answer up to 400 a page; ListDistributions and the catalogue 100. */
const ELB_PAGE_SIZE = 400;
const CLOUDFRONT_PAGE_SIZE = 100;
const CATALOGUE_PAGE_SIZE = 100;

export interface WafClients {
  elbv2: ElasticLoadBalancingV2Client;
  /** In the reader's region (REGIONAL scope). */
  wafv2: WAFV2Client;
  /** In us-east-1 (CLOUDFRONT scope). */
  wafv2Global: WAFV2Client;
  cloudfront: CloudFrontClient;
}

/**
 * One account's WAF inventory in one region, through the member role, with the fewest calls: one paged
 * DescribeLoadBalancers and one paged DescribeTargetGroups (each group names its load balancers), DescribeTargetHealth
 * per instance target group, GetWebACLForResource per ALB (moto and AWS both serve it; ListResourcesForWebACL would
 * need ListWebACLs first), GetWebACL per WebACL, one paged ListDistributions (GetDistributionConfig only where a summary
 * lacks its origins, as moto's does).
 */
export class AwsWafReader implements WafReader {
  private readonly tally: RequestTally = { calls: 0 };

  constructor(
    private readonly clients: WafClients,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  get calls(): number {
    return this.tally.calls;
  }

  async loadBalancers(): Promise<AlbInfo[]> {
    const albs = [];
    const pages = paginateDescribeLoadBalancers({ client: this.clients.elbv2, pageSize: ELB_PAGE_SIZE }, {});
    for await (const page of countedPages(
      pages,
      (e) => this.failure("elasticloadbalancing:DescribeLoadBalancers", e),
      this.tally,
    ))
      albs.push(...(page.LoadBalancers ?? []).filter((lb) => lb.Type === "application" && lb.LoadBalancerArn));
    if (albs.length === 0) return [];
    const instances = await this.instancesByLoadBalancer();
    return Promise.all(
      albs.map(async (lb) => {
        const arn = lb.LoadBalancerArn ?? "";
        const webAcl = webAclRefOf(await this.webAclFor(arn));
        return {
          arn,
          name: lb.LoadBalancerName ?? arn,
          dnsName: lb.DNSName ?? "",
          accountId: this.accountId,
          region: this.region,
          internetFacing: lb.Scheme === "internet-facing",
          ...(webAcl ? { webAcl } : {}),
          instanceIds: [...(instances.get(arn) ?? [])].sort(),
        };
      }),
    );
  }

  private async instancesByLoadBalancer(): Promise<Map<string, Set<string>>> {
    const groups: TargetGroup[] = [];
    const pages = paginateDescribeTargetGroups({ client: this.clients.elbv2, pageSize: ELB_PAGE_SIZE }, {});
    for await (const page of countedPages(
      pages,
      (e) => this.failure("elasticloadbalancing:DescribeTargetGroups", e),
      this.tally,
    ))
      groups.push(
        ...(page.TargetGroups ?? []).filter(
          (g) => g.TargetType === "instance" && (g.LoadBalancerArns ?? []).length > 0,
        ),
      );
    const byLb = new Map<string, Set<string>>();
    await Promise.all(
      groups.map(async (group) => {
        const ids = await this.targetsOf(group.TargetGroupArn ?? "");
        for (const lb of group.LoadBalancerArns ?? []) byLb.set(lb, new Set([...(byLb.get(lb) ?? []), ...ids]));
      }),
    );
    return byLb;
  }

  private async targetsOf(targetGroupArn: string): Promise<string[]> {
    const answer = await this.send("elasticloadbalancing:DescribeTargetHealth", () =>
      this.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    );
    return (answer.TargetHealthDescriptions ?? []).flatMap((d) => (d.Target?.Id ? [d.Target.Id] : []));
  }

  private async webAclFor(resourceArn: string): Promise<string | undefined> {
    try {
      this.tally.calls++;
      const answer = await this.clients.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: resourceArn }));
      return answer.WebACL?.ARN;
    } catch (error) {
      if (awsErrorName(error) === "WAFNonexistentItemException") return undefined;
      throw this.failure("wafv2:GetWebACLForResource", error);
    }
  }

  async distributions(): Promise<DistributionInfo[]> {
    const found: DistributionInfo[] = [];
    const pages = paginateListDistributions({ client: this.clients.cloudfront, pageSize: CLOUDFRONT_PAGE_SIZE }, {});
    for await (const page of countedPages(pages, (e) => this.failure("cloudfront:ListDistributions", e), this.tally))
      for (const d of page.DistributionList?.Items ?? []) {
        if (!d.Id) continue;
        const origins = d.Origins?.Items ? { webAclId: d.WebACLId, items: d.Origins.Items } : await this.configOf(d.Id);
        const webAcl = webAclRefOf(origins.webAclId);
        found.push({
          arn: d.ARN ?? `arn:aws:cloudfront::${this.accountId}:distribution/${d.Id}`,
          id: d.Id,
          domainName: d.DomainName ?? "",
          accountId: this.accountId,
          ...(webAcl ? { webAcl } : {}),
          originDomains: origins.items.flatMap((o) => (o.DomainName ? [o.DomainName] : [])),
        });
      }
    return found;
  }

  private async configOf(id: string) {
    const answer = await this.send("cloudfront:GetDistributionConfig", () =>
      this.clients.cloudfront.send(new GetDistributionConfigCommand({ Id: id })),
    );
    return { webAclId: answer.DistributionConfig?.WebACLId, items: answer.DistributionConfig?.Origins?.Items ?? [] };
  }

  async readWebAcl(arn: string): Promise<LiveWebAcl> {
    return readLiveWebAcl(this.clientFor(arn), arn, this.tally, (e) => this.failure("wafv2:GetWebACL", e));
  }

  async availableGroups(scope: "regional" | "cloudfront"): Promise<ManagedGroupRef[]> {
    const client = scope === "regional" ? this.clients.wafv2 : this.clients.wafv2Global;
    const groups: ManagedGroupRef[] = [];
    let marker: string | undefined;
    do {
      const answer = await this.send("wafv2:ListAvailableManagedRuleGroups", () =>
        client.send(
          new ListAvailableManagedRuleGroupsCommand({
            Scope: scope === "regional" ? "REGIONAL" : "CLOUDFRONT",
            Limit: CATALOGUE_PAGE_SIZE,
            ...(marker ? { NextMarker: marker } : {}),
          }),
        ),
      );
      for (const g of answer.ManagedRuleGroups ?? [])
        if (g.VendorName && g.Name) groups.push({ vendorName: g.VendorName, name: g.Name });
      // WAF answers a last page with a marker and no groups.
      marker = (answer.ManagedRuleGroups ?? []).length > 0 ? answer.NextMarker : undefined;
    } while (marker);
    return groups;
  }

  private clientFor(arn: string): WAFV2Client {
    return webAclScopeOf(arn) === "CLOUDFRONT" ? this.clients.wafv2Global : this.clients.wafv2;
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    this.tally.calls++;
    try {
      return await call();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): WshubError {
    return wafFailure({ operation, error, accountId: this.accountId, region: this.region });
  }
}

export function wafFailure(input: {
  operation: string;
  error: unknown;
  accountId: string;
  region: string;
}): WshubError {
  const name = awsErrorName(input.error);
  const hint = isAccessDenied(input.error) ? ` (does the role allow ${input.operation}?)` : "";
  return new WshubError(
    ERROR_CODES.INVENTORY_UNAVAILABLE,
    `WAF inventory in ${input.region} for ${input.accountId}: ${input.operation}: ${name}: ${awsErrorMessage(input.error)}${hint}`,
    { accountId: input.accountId, region: input.region, awsError: name },
    { cause: input.error },
  );
}

/** `arn:aws:wafv2:<region>:<account>:<regional|global>/webacl/<name>/<id>` → its scope, name and id. */
export function parseWebAclArn(arn: string): { scope: "REGIONAL" | "CLOUDFRONT"; name: string; id: string } {
  const match = /^arn:aws[a-z-]*:wafv2:[^:]*:\d{12}:(regional|global)\/webacl\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match?.[1] || !match[2] || !match[3])
    throw new WshubError(ERROR_CODES.INVENTORY_UNAVAILABLE, `not a WAFv2 WebACL ARN: ${arn}`, { webAcl: arn });
  return { scope: match[1] === "global" ? "CLOUDFRONT" : "REGIONAL", name: match[2], id: match[3] };
}

export function webAclScopeOf(arn: string): "REGIONAL" | "CLOUDFRONT" {
  return parseWebAclArn(arn).scope;
}

/** GetWebACL, summarised for the decision and kept whole for the change (WebACL and lock token). */
export async function readLiveWebAcl(
  client: WAFV2Client,
  arn: string,
  tally: RequestTally,
  toError: (error: unknown) => Error,
): Promise<LiveWebAcl & { webAcl: WebACL }> {
  const { scope, name, id } = parseWebAclArn(arn);
  tally.calls++;
  try {
    const answer = await client.send(new GetWebACLCommand({ Scope: scope, Name: name, Id: id }));
    if (!answer.WebACL || !answer.LockToken) throw new Error("GetWebACL returned no WebACL or lock token");
    const rules = answer.WebACL.Rules ?? [];
    return {
      arn,
      name,
      rules: rules.map(summariseRule),
      lockToken: answer.LockToken,
      rulesDocument: JSON.stringify(rules),
      webAcl: answer.WebACL,
    };
  } catch (error) {
    throw toError(error);
  }
}

function summariseRule(rule: Rule): WebAclRule {
  const managed = rule.Statement?.ManagedRuleGroupStatement;
  return {
    name: rule.Name ?? "",
    priority: rule.Priority ?? 0,
    ...(managed?.VendorName && managed.Name
      ? { managedGroup: { vendorName: managed.VendorName, name: managed.Name } }
      : {}),
  };
}
