import { describe, expect, it } from "vitest";
import { evaluateTrustPolicy, type TrustRequest } from "../src/aws/trust-policy.js";

const hubUser: TrustRequest = {
  callerAccountId: "222222222222",
  callerArn: "arn:aws:iam::222222222222:user/wshub-hub",
  principalArn: "arn:aws:iam::222222222222:user/wshub-hub",
  externalId: "ext-1",
};

const hubLambdaSession: TrustRequest = {
  callerAccountId: "222222222222",
  callerArn: "arn:aws:sts::222222222222:assumed-role/wshub-collector/run-1",
  principalArn: "arn:aws:iam::222222222222:role/wshub-collector",
  externalId: "ext-1",
};

const statement = (extra: object) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...extra }],
});
const trustsHubRoot = (condition?: object) =>
  statement({ Principal: { AWS: "arn:aws:iam::222222222222:root" }, ...(condition ? { Condition: condition } : {}) });

describe("evaluateTrustPolicy", () => {
  it("allows the trusted account's principals with the external id", () => {
    const policy = trustsHubRoot({ StringEquals: { "sts:ExternalId": "ext-1" } });
    expect(evaluateTrustPolicy(policy, hubUser)).toEqual({ allowed: true });
    expect(evaluateTrustPolicy(policy, hubLambdaSession)).toEqual({ allowed: true });
  });

  it("denies a wrong or missing external id, saying which", () => {
    const policy = trustsHubRoot({ StringEquals: { "sts:ExternalId": "ext-1" } });
    expect(evaluateTrustPolicy(policy, { ...hubUser, externalId: "ext-2" })).toEqual({
      allowed: false,
      reason: "the external id does not match",
    });
    expect(evaluateTrustPolicy(policy, { ...hubUser, externalId: undefined })).toEqual({
      allowed: false,
      reason: "the trust policy requires an external id and none was given",
    });
  });

  it("denies callers from other accounts", () => {
    const decision = evaluateTrustPolicy(trustsHubRoot(), {
      ...hubUser,
      callerAccountId: "111111111111",
      principalArn: "arn:aws:iam::111111111111:user/x",
      callerArn: "arn:aws:iam::111111111111:user/x",
    });
    expect(decision).toEqual({
      allowed: false,
      reason: "the trust policy does not allow arn:aws:iam::111111111111:user/x",
    });
  });

  it("matches principals given as an account id, a role ARN (for its sessions) or a list", () => {
    expect(evaluateTrustPolicy(statement({ Principal: { AWS: "222222222222" } }), hubUser).allowed).toBe(true);
    const roleOnly = statement({
      Principal: { AWS: ["arn:aws:iam::999999999999:root", "arn:aws:iam::222222222222:role/wshub-collector"] },
    });
    expect(evaluateTrustPolicy(roleOnly, hubLambdaSession).allowed).toBe(true);
    expect(evaluateTrustPolicy(roleOnly, hubUser).allowed).toBe(false);
    expect(evaluateTrustPolicy(statement({ Principal: "*" }), hubUser).allowed).toBe(true);
    expect(evaluateTrustPolicy(statement({ Principal: { Service: "ec2.amazonaws.com" } }), hubUser).allowed).toBe(
      false,
    );
  });

  it("honours aws:PrincipalArn with StringLike, ArnLike, ArnEquals and StringEquals", () => {
    const withCondition = (condition: object) => trustsHubRoot(condition);
    const like = withCondition({ StringLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/wshub-*" } });
    expect(evaluateTrustPolicy(like, hubLambdaSession).allowed).toBe(true);
    expect(evaluateTrustPolicy(like, hubUser)).toEqual({
      allowed: false,
      reason: "condition StringLike on aws:PrincipalArn is not satisfied",
    });
    const arnLike = withCondition({ ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::222222222222:user/*"] } });
    expect(evaluateTrustPolicy(arnLike, hubUser).allowed).toBe(true);
    expect(evaluateTrustPolicy(arnLike, hubLambdaSession).allowed).toBe(false);
    const arnEquals = withCondition({
      ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/wshub-collector" },
    });
    expect(evaluateTrustPolicy(arnEquals, hubLambdaSession).allowed).toBe(true);
    const both = withCondition({
      StringEquals: { "sts:ExternalId": "ext-1", "aws:PrincipalAccount": "222222222222" },
      ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/wshub-c?llector" },
    });
    expect(evaluateTrustPolicy(both, hubLambdaSession).allowed).toBe(true);
    expect(evaluateTrustPolicy(both, { ...hubLambdaSession, externalId: "nope" }).allowed).toBe(false);
  });

  it("treats IfExists, negated operators and Null as IAM does", () => {
    const ifExists = trustsHubRoot({ StringEqualsIfExists: { "sts:ExternalId": "ext-1" } });
    expect(evaluateTrustPolicy(ifExists, { ...hubUser, externalId: undefined }).allowed).toBe(true);
    expect(evaluateTrustPolicy(ifExists, { ...hubUser, externalId: "ext-2" }).allowed).toBe(false);
    const notLike = trustsHubRoot({ StringNotLike: { "aws:PrincipalArn": "*:user/*" } });
    expect(evaluateTrustPolicy(notLike, hubLambdaSession).allowed).toBe(true);
    expect(evaluateTrustPolicy(notLike, hubUser).allowed).toBe(false);
    // A negated operator holds when the key is absent.
    const notBlocked = trustsHubRoot({ StringNotEquals: { "sts:ExternalId": "blocked" } });
    expect(evaluateTrustPolicy(notBlocked, { ...hubUser, externalId: undefined }).allowed).toBe(true);
    expect(evaluateTrustPolicy(notBlocked, { ...hubUser, externalId: "blocked" }).allowed).toBe(false);
    const mustHaveId = trustsHubRoot({ Null: { "sts:ExternalId": "false" } });
    expect(evaluateTrustPolicy(mustHaveId, hubUser).allowed).toBe(true);
    expect(evaluateTrustPolicy(mustHaveId, { ...hubUser, externalId: undefined }).allowed).toBe(false);
  });

  it("lets an explicit Deny win and ignores statements for other actions", () => {
    const policy = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:root" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
        },
        { Effect: "Deny", Principal: { AWS: "arn:aws:iam::222222222222:user/wshub-hub" }, Action: "sts:*" },
      ],
    };
    expect(evaluateTrustPolicy(policy, hubUser)).toEqual({
      allowed: false,
      reason: "an explicit Deny in the trust policy applies",
    });
    expect(evaluateTrustPolicy(policy, hubLambdaSession).allowed).toBe(true);
    const otherAction = statement({ Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" });
    expect(evaluateTrustPolicy(otherAction, hubUser).allowed).toBe(false);
  });

  it("denies what it does not understand", () => {
    expect(
      evaluateTrustPolicy(trustsHubRoot({ "ForAnyValue:StringEquals": { "sts:ExternalId": "ext-1" } }), hubUser)
        .allowed,
    ).toBe(false);
    expect(evaluateTrustPolicy(trustsHubRoot({ StringEquals: { "aws:SourceIp": "10.0.0.1" } }), hubUser).allowed).toBe(
      false,
    );
    expect(evaluateTrustPolicy("not a policy", hubUser).allowed).toBe(false);
    expect(
      evaluateTrustPolicy({ Statement: [{ Effect: "Allow", NotPrincipal: { AWS: "x" }, Action: "*" }] }, hubUser)
        .allowed,
    ).toBe(false);
  });
});
