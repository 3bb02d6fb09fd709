import { paginateDescribeInstances, type EC2Client } from "@aws-sdk/client-ec2";
import { paginateGetAccountAuthorizationDetails, type IAMClient, type RoleDetail } from "@aws-sdk/client-iam";
import { GetBucketPolicyCommand, type S3Client } from "@aws-sdk/client-s3";
import { ERROR_CODES, WshubError, type BucketAccessReader, type PolicyDocument, type RoleIdentity } from "@wshub/core";
import { z } from "zod";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

/** Clients for one member account (built by the caller from CrossAccountCredentials: the finding's account). */
export interface MemberClients {
  accountId: string;
  iam: IAMClient;
  s3: S3Client;
  ec2: EC2Client;
}

const stringOrList = z.union([z.string(), z.array(z.string())]);
const statement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Principal: z.union([z.literal("*"), z.record(z.string(), stringOrList)]).optional(),
  NotPrincipal: z.record(z.string(), stringOrList).optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
const policyDocument = z.object({
  Version: z.string().optional(),
  Statement: z.union([statement, z.array(statement)]),
});

/** IAM returns documents URL-encoded; S3 returns them plain. An unreadable document is an error naming its source. */
export function parsePolicyDocument(text: string, source: string): PolicyDocument {
  const decoded = text.trimStart().startsWith("%7B") || text.includes("%22") ? decodeURIComponent(text) : text;
  const result = policyDocument.safeParse(JSON.parse(decoded));
  if (!result.success)
    throw new WshubError(ERROR_CODES.INVENTORY_UNAVAILABLE, `policy ${source} has an unknown shape`, { source });
  return result.data;
}

/** The reads the Macie workflow makes in the bucket owner's account (integrations-notes §3.3). */
export class IamAccessReader implements BucketAccessReader {
  constructor(private readonly clients: MemberClients) {}

  /** Every role with its inline and attached policies as documents, and its instance profiles: one paginated call. */
  async roles(): Promise<RoleIdentity[]> {
    const roles: RoleDetail[] = [];
    const managed = new Map<string, PolicyDocument>();
    const pages = paginateGetAccountAuthorizationDetails(
      { client: this.clients.iam },
      { Filter: ["Role", "LocalManagedPolicy", "AWSManagedPolicy"] },
    );
    try {
      for await (const page of pages) {
        roles.push(...(page.RoleDetailList ?? []));
        for (const policy of page.Policies ?? []) {
          const version = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList?.[0];
          if (policy.Arn && version?.Document)
            managed.set(policy.Arn, parsePolicyDocument(version.Document, policy.Arn));
        }
      }
    } catch (error) {
      throw this.failure("iam:GetAccountAuthorizationDetails", error);
    }
    return roles.flatMap((role) => this.identity(role, managed));
  }

  /** The bucket's policy; none is an answer, not an error. */
  async bucketPolicy(bucket: string): Promise<PolicyDocument | undefined> {
    try {
      const answer = await this.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      return answer.Policy ? parsePolicyDocument(answer.Policy, `of bucket ${bucket}`) : undefined;
    } catch (error) {
      if (awsErrorName(error) === "NoSuchBucketPolicy") return undefined;
      throw this.failure("s3:GetBucketPolicy", error);
    }
  }

  /** Live instances running with any of these instance profiles (EC2 filter `iam-instance-profile.arn`). */
  async instancesWithProfiles(profileArns: string[]): Promise<string[]> {
    if (profileArns.length === 0) return [];
    const ids: string[] = [];
    const pages = paginateDescribeInstances(
      { client: this.clients.ec2 },
      {
        Filters: [
          { Name: "iam-instance-profile.arn", Values: profileArns },
          { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
        ],
      },
    );
    try {
      for await (const page of pages)
        for (const reservation of page.Reservations ?? [])
          for (const instance of reservation.Instances ?? []) if (instance.InstanceId) ids.push(instance.InstanceId);
    } catch (error) {
      throw this.failure("ec2:DescribeInstances", error);
    }
    return [...new Set(ids)].sort();
  }

  private identity(role: RoleDetail, managed: ReadonlyMap<string, PolicyDocument>): RoleIdentity[] {
    if (!role.Arn || !role.RoleName) return [];
    const inline = (role.RolePolicyList ?? []).flatMap((p) =>
      p.PolicyDocument ? [parsePolicyDocument(p.PolicyDocument, `${role.RoleName}/${p.PolicyName ?? ""}`)] : [],
    );
    const attached = (role.AttachedManagedPolicies ?? []).flatMap((p) => {
      const document = p.PolicyArn ? managed.get(p.PolicyArn) : undefined;
      return document ? [document] : [];
    });
    return [
      {
        arn: role.Arn,
        name: role.RoleName,
        accountId: this.clients.accountId,
        policies: [...inline, ...attached],
        instanceProfileArns: (role.InstanceProfileList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : [])),
      },
    ];
  }

  private failure(call: string, error: unknown): WshubError {
    return new WshubError(
      ERROR_CODES.ACCOUNT_UNREACHABLE,
      `${call} in ${this.clients.accountId}: ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
      { accountId: this.clients.accountId, call, awsError: awsErrorName(error) },
      { cause: error },
    );
  }
}
