import type { BufferedAnswer } from "./ec2-describe-cache.js";
import { fakeAuthorization } from "./sigv4.js";

const SUMMARY = /<DistributionSummary>([\s\S]*?)<\/DistributionSummary>/g;
const ORIGINS = /<Origins>[\s\S]*?<\/Origins>/;
const WEB_ACL_ID = /<WebACLId>[^<]*<\/WebACLId>|<WebACLId\/>/;
/** CloudFront's API version on the wire (the SDK's and moto's). */
const API_VERSION = "2020-05-31";

/**
 * moto 5.2.1's ListDistributions summaries lack `Origins` and `WebACLId`, which a real `DistributionSummary` always
 * has (botocore: both required). The front fills them in from each distribution's configuration as moto keeps it, so
 * the product reads one page a hundred distributions, as against AWS, instead of one GetDistributionConfig each.
 */
export async function withDistributionOrigins(
  answer: BufferedAnswer,
  where: { motoEndpoint: string; accountId: string },
): Promise<BufferedAnswer> {
  if (answer.status !== 200) return answer;
  const xml = answer.body.toString("utf8");
  const pieces: string[] = [];
  let last = 0;
  for (const match of xml.matchAll(SUMMARY)) {
    const summary = match[1] ?? "";
    const end = (match.index ?? 0) + match[0].length - "</DistributionSummary>".length;
    pieces.push(xml.slice(last, end), await missingFields(summary, where));
    last = end;
  }
  pieces.push(xml.slice(last));
  const body = Buffer.from(pieces.join(""), "utf8");
  return { ...answer, body, headers: { ...answer.headers, "content-length": String(body.length) } };
}

async function missingFields(summary: string, where: { motoEndpoint: string; accountId: string }): Promise<string> {
  if (ORIGINS.test(summary) && WEB_ACL_ID.test(summary)) return "";
  const id = /<Id>([^<]*)<\/Id>/.exec(summary)?.[1];
  if (!id) return "";
  const response = await fetch(`${where.motoEndpoint}/${API_VERSION}/distribution/${encodeURIComponent(id)}/config`, {
    headers: {
      "x-moto-account-id": where.accountId,
      authorization: fakeAuthorization("sandbox", "us-east-1", "cloudfront"),
    },
  });
  if (!response.ok) return "";
  const config = await response.text();
  const origins = ORIGINS.test(summary) ? "" : (ORIGINS.exec(config)?.[0] ?? "");
  const webAclId = WEB_ACL_ID.test(summary) ? "" : (WEB_ACL_ID.exec(config)?.[0] ?? "<WebACLId></WebACLId>");
  return origins + webAclId;
}
