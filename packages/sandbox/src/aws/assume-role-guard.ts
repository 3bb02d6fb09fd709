import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { principalArnOf } from "./callers.js";
import { motoQuery, xmlText } from "./moto-query.js";
import { evaluateTrustPolicy } from "./trust-policy.js";
import type { Caller } from "./types.js";

/** Response header naming why the front denied an AssumeRole (the AWS-shaped message does not say). */
export const DENIAL_REASON_HEADER = "x-sandbox-denial-reason";

/** Answer a denied AssumeRole as STS does (403, AccessDenied), with the reason in a header of the sandbox's own. */
export function writeDenial(
  response: ServerResponse,
  denial: { caller: Caller; roleArn: string; reason: string },
): number {
  const xml = accessDeniedXml(denial.caller, denial.roleArn);
  response.writeHead(403, {
    "content-type": "text/xml",
    "content-length": String(Buffer.byteLength(xml)),
    [DENIAL_REASON_HEADER]: denial.reason,
  });
  response.end(xml);
  return 403;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;

/**
 * Decide an STS AssumeRole the way AWS would, before moto (which grants everything) sees it: the role must exist
 * in its account and its trust policy must allow this caller with this external id.
 * Returns why access is denied, or undefined when the request may go on to moto unchanged.
 */
export async function assumeRoleDenial(
  motoEndpoint: string,
  caller: Caller,
  params: URLSearchParams,
): Promise<string | undefined> {
  const roleArn = params.get("RoleArn") ?? "";
  const parsed = ROLE_ARN.exec(roleArn);
  // A malformed ARN is moto's to reject, with AWS's validation error.
  if (!parsed) return undefined;
  const [, accountId = "", roleName = ""] = parsed;
  const { status, xml } = await motoQuery(motoEndpoint, {
    service: "iam",
    params: { Action: "GetRole", RoleName: roleName },
    as: { accountId },
  });
  if (status === 404) return `role ${roleArn} does not exist`;
  const document = xmlText(xml, "AssumeRolePolicyDocument");
  if (status !== 200 || document === undefined) return `the role could not be read (IAM answered HTTP ${status})`;
  let policy: unknown;
  try {
    policy = JSON.parse(decodeURIComponent(document));
  } catch {
    return "the role's trust policy is not valid JSON";
  }
  const decision = evaluateTrustPolicy(policy, {
    callerAccountId: caller.accountId,
    callerArn: caller.arn,
    principalArn: principalArnOf(caller),
    externalId: params.get("ExternalId") ?? undefined,
  });
  return decision.allowed ? undefined : decision.reason;
}

/** STS's own AccessDenied (query protocol, HTTP 403); like AWS, the message does not say which check failed. */
export function accessDeniedXml(caller: Caller, roleArn: string): string {
  const message = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
  return (
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
    `<Code>AccessDenied</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
