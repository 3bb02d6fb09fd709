import { describe, expect, it } from "vitest";
import { analyseBucketAccess, iamGlob, type PolicyDocument, type RoleIdentity } from "../src/index.js";

const OWNER = "111111111111";
const OTHER = "222222222222";
const bucket = { name: "payroll", ownerAccountId: OWNER };

const role = (name: string, policies: PolicyDocument[] = [], accountId = OWNER): RoleIdentity => ({
  arn: `arn:aws:iam::${accountId}:role/${name}`,
  name,
  accountId,
  policies,
  instanceProfileArns: [`arn:aws:iam::${accountId}:instance-profile/${name}`],
});

const allow = (Action: string | string[], Resource: string | string[], extra = {}): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action, Resource, ...extra }],
});

describe("iamGlob", () => {
  it("matches * and ?, actions case-insensitively", () => {
    expect(iamGlob("s3:Get*", "s3:getobject", true)).toBe(true);
    expect(iamGlob("s3:Get*", "s3:getobject")).toBe(false);
    expect(iamGlob("arn:aws:s3:::pay?oll/*", "arn:aws:s3:::payroll/*")).toBe(true);
    expect(iamGlob("arn:aws:s3:::pay", "arn:aws:s3:::payroll")).toBe(false);
  });
});

describe("analyseBucketAccess", () => {
  it("finds a role through the bucket policy only", () => {
    const reader = role("reader");
    const policy: PolicyDocument = {
      Statement: {
        Effect: "Allow",
        Principal: { AWS: reader.arn },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::payroll/*",
      },
    };
    const result = analyseBucketAccess({ bucket, bucketPolicy: policy, roles: [reader, role("bystander")] });
    expect(result.roles).toMatchObject([
      { roleName: "reader", access: "can", via: "bucket-policy", actions: ["s3:GetObject"] },
    ]);
  });

  it("finds a role through its identity policy only, wildcards in actions and resources", () => {
    const admin = role("admin", [allow("*", "*")]);
    const lister = role("lister", [allow("s3:List*", "arn:aws:s3:::pay*")]);
    const elsewhere = role("elsewhere", [allow("s3:*", "arn:aws:s3:::other/*")]);
    const result = analyseBucketAccess({ bucket, bucketPolicy: undefined, roles: [admin, lister, elsewhere] });
    expect(result.roles.map((r) => [r.roleName, r.access, r.via, r.actions.length])).toEqual([
      ["admin", "can", "identity-policy", 4],
      ["lister", "can", "identity-policy", 1],
    ]);
  });

  it("says may access for a grant under conditions, naming the condition keys", () => {
    const vpce = role("vpce", [
      allow("s3:GetObject", "arn:aws:s3:::payroll/*", { Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } }),
    ]);
    const result = analyseBucketAccess({ bucket, bucketPolicy: undefined, roles: [vpce] });
    expect(result.roles).toMatchObject([{ access: "may", conditions: ["aws:SourceVpce"] }]);
  });

  it("lets an unconditional explicit Deny win, and a conditional one make it may", () => {
    const admin = role("admin", [allow("s3:*", "*")]);
    const denyAll: PolicyDocument = {
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::payroll", "arn:aws:s3:::payroll/*"],
        },
      ],
    };
    expect(analyseBucketAccess({ bucket, bucketPolicy: denyAll, roles: [admin] })).toEqual({
      roles: [],
      denied: [admin.arn],
    });
    const denyUnlessTls: PolicyDocument = {
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "arn:aws:s3:::payroll/*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    const result = analyseBucketAccess({ bucket, bucketPolicy: denyUnlessTls, roles: [admin] });
    expect(result.roles[0]).toMatchObject({ access: "may", conditions: ["aws:SecureTransport"] });
    expect(result.roles[0]?.actions).toContain("s3:ListBucket");
  });

  it("exempts roles a Deny's NotPrincipal names", () => {
    const admin = role("admin", [allow("s3:*", "*")]);
    const policy: PolicyDocument = {
      Statement: [
        { Effect: "Deny", NotPrincipal: { AWS: admin.arn }, Action: "s3:*", Resource: "arn:aws:s3:::payroll/*" },
      ],
    };
    expect(analyseBucketAccess({ bucket, bucketPolicy: policy, roles: [admin] }).roles[0]?.access).toBe("can");
  });

  it("needs both policies for a role of another account", () => {
    const remote = role("remote", [allow("s3:GetObject", "arn:aws:s3:::payroll/*")], OTHER);
    expect(analyseBucketAccess({ bucket, bucketPolicy: undefined, roles: [remote] }).roles).toEqual([]);
    const policy: PolicyDocument = {
      Statement: {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::payroll/*",
      },
    };
    expect(analyseBucketAccess({ bucket, bucketPolicy: policy, roles: [remote] }).roles).toMatchObject([
      { via: "both", access: "can" },
    ]);
  });

  it("treats NotAction and a grant on part of the bucket as may access", () => {
    const notAction = role("not-iam", [{ Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" } }]);
    const prefix = role("prefix", [allow("s3:GetObject", "arn:aws:s3:::payroll/reports/*")]);
    const result = analyseBucketAccess({ bucket, bucketPolicy: undefined, roles: [notAction, prefix] });
    expect(result.roles).toMatchObject([
      { roleName: "not-iam", access: "can" },
      { roleName: "prefix", access: "may", conditions: ["resource-prefix"] },
    ]);
  });
});
