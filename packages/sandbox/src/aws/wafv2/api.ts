import { readFileSync } from "node:fs";
import { paginateDescribeLoadBalancers } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetWebACLCommand, GetWebACLForResourceCommand } from "@aws-sdk/client-wafv2";
import type { SeedClients } from "../seed/clients.js";
import { jsonFail, jsonOk, parseJsonBody, type JsonAnswer, type JsonBody } from "../json-answer.js";
import type { Caller } from "../types.js";

export type WafAnswer = JsonAnswer;

interface CatalogueGroup {
  VendorName: string;
  Name: string;
  VersioningSupported: boolean;
  Description: string;
}

type Body = JsonBody;

const CATALOGUE_FILE = new URL("../../../fixtures/wafv2/managed-rule-groups.json", import.meta.url);
/** WAFv2's Limit: 1–100, 100 when absent (botocore 1.43.11 `PaginationLimit`). */
const MAX_LIMIT = 100;
/** CloudFront's scope is served from us-east-1 only. */
const CLOUDFRONT_REGION = "us-east-1";
const ALB = "APPLICATION_LOAD_BALANCER";
let catalogue: CatalogueGroup[] | undefined;

function managedRuleGroups(): CatalogueGroup[] {
  catalogue ??= (JSON.parse(readFileSync(CATALOGUE_FILE, "utf8")) as { managedRuleGroups: CatalogueGroup[] })
    .managedRuleGroups;
  return catalogue;
}

/**
 * The WAFv2 operations moto 5.2.1 lacks: ListAvailableManagedRuleGroups (a catalogue kept as data) and
 * ListResourcesForWebACL (the associations moto keeps, read back per load balancer of the caller's account and
 * region). Undefined: hand the call to moto.
 */
export async function serveWafv2(request: {
  operation: string;
  body: Buffer;
  caller: Caller;
  region: string;
  moto: SeedClients;
}): Promise<WafAnswer | undefined> {
  const body = parseJsonBody(request.body);
  if (request.operation === "ListAvailableManagedRuleGroups") return availableGroups(body, request.region);
  if (request.operation === "ListResourcesForWebACL")
    return resourcesForWebAcl(body, { ...request, accountId: request.caller.accountId });
  return undefined;
}

function availableGroups(body: Body, region: string): WafAnswer {
  const scope = body["Scope"];
  if (scope !== "REGIONAL" && scope !== "CLOUDFRONT")
    return jsonFail("WAFInvalidParameterException", "Scope must be REGIONAL or CLOUDFRONT");
  if (scope === "CLOUDFRONT" && region !== CLOUDFRONT_REGION)
    return jsonFail("WAFInvalidParameterException", "The CLOUDFRONT scope is only available in us-east-1");
  const limit = body["Limit"] === undefined ? MAX_LIMIT : Number(body["Limit"]);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return jsonFail("WAFInvalidParameterException", `Limit must be between 1 and ${MAX_LIMIT}`);
  const start = body["NextMarker"] === undefined ? 0 : Number(body["NextMarker"]);
  if (!Number.isInteger(start) || start < 0) return jsonFail("WAFInvalidParameterException", "NextMarker is not valid");
  const groups = managedRuleGroups();
  const page = groups.slice(start, start + limit);
  return jsonOk({
    ManagedRuleGroups: page,
    ...(start + limit < groups.length ? { NextMarker: String(start + limit) } : {}),
  });
}

/** `arn:aws:wafv2:<region>:<account>:<regional|global>/webacl/<name>/<id>`. */
const WEBACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]*):(\d{12}):(regional|global)\/webacl\/([^/]+)\/([^/]+)$/;

async function resourcesForWebAcl(
  body: Body,
  where: { accountId: string; region: string; moto: SeedClients },
): Promise<WafAnswer> {
  const match = WEBACL_ARN.exec(String(body["WebACLArn"] ?? ""));
  if (!match) return jsonFail("WAFInvalidParameterException", "WebACLArn is not a valid WebACL ARN");
  const [, region, accountId, scope, name, id] = match;
  if (scope === "global")
    return jsonFail(
      "WAFInvalidParameterException",
      "ListResourcesForWebACL does not serve the CLOUDFRONT scope: use CloudFront's ListDistributionsByWebACLId",
    );
  if (accountId !== where.accountId || region !== where.region)
    return jsonFail(
      "WAFNonexistentItemException",
      "AWS WAF couldn't perform the operation because your resource doesn't exist.",
    );
  const { moto } = where;
  const exists = await moto
    .as(where.accountId, () =>
      moto.wafv2(where.region).send(new GetWebACLCommand({ Name: name, Id: id, Scope: "REGIONAL" })),
    )
    .then(
      () => true,
      () => false,
    );
  if (!exists)
    return jsonFail(
      "WAFNonexistentItemException",
      "AWS WAF couldn't perform the operation because your resource doesn't exist.",
    );
  const type = body["ResourceType"] ?? ALB;
  // The sandbox seeds no API Gateway, AppSync, Cognito, App Runner, Verified Access or Amplify resources.
  if (type !== ALB) return jsonOk({ ResourceArns: [] });
  const arn = String(body["WebACLArn"]);
  return jsonOk({ ResourceArns: await moto.as(where.accountId, () => albsWith(moto, where.region, arn)) });
}

async function albsWith(moto: SeedClients, region: string, webAclArn: string): Promise<string[]> {
  const found: string[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: moto.elbv2(region) }, {}))
    for (const lb of page.LoadBalancers ?? []) {
      if (lb.Type !== "application" || !lb.LoadBalancerArn) continue;
      const acl = await moto
        .wafv2(region)
        .send(new GetWebACLForResourceCommand({ ResourceArn: lb.LoadBalancerArn }))
        .catch(() => undefined);
      if (acl?.WebACL?.ARN === webAclArn) found.push(lb.LoadBalancerArn);
    }
  return found;
}
