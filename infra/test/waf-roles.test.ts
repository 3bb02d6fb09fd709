import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WAF_WRITE_ACTIONS } from "../src/waf-roles.js";
import { exampleDeployment, synthExample } from "./fixtures.js";

/** The example deployment with WAF apply chosen: the StackSet deploys the WAF write role next to the member role. */
let synth: ReturnType<typeof synthExample>;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "wshub-cdk-waf-"));
  const base = exampleDeployment();
  const hub = { ...base.hub, waf: { mode: "apply", allowAccounts: ["333333333333"] } };
  // cdk-nag's AwsSolutions checks run during synth: an unacknowledged finding would throw here.
  synth = synthExample({ outdir, deployment: { ...base, hub } });
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("WAF write role (apply mode)", () => {
  it("is passed to the StackSet, and deployed in the management account too", () => {
    Template.fromStack(synth.organization).hasResourceProperties("AWS::CloudFormation::StackSet", {
      Parameters: Match.arrayWith([
        { ParameterKey: "WafWriteRole", ParameterValue: "true" },
        { ParameterKey: "WafWriteRoleName", ParameterValue: "wshub-waf-writer" },
      ]),
    });
    Template.fromStack(synth.managementMemberRole).hasParameter("WafWriteRole", { Default: "true" });
  });

  it("exists only under its condition, may only read and update the account's WebACLs, trusts the assigner", () => {
    const member = Template.fromJSON(synth.memberTemplate as never);
    member.hasCondition("WafWriteRoleChosen", { "Fn::Equals": [{ Ref: "WafWriteRole" }, "true"] });
    member.hasResource("AWS::IAM::Role", {
      Condition: "WafWriteRoleChosen",
      Properties: {
        RoleName: { Ref: "WafWriteRoleName" },
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: "sts:AssumeRole",
              Condition: {
                StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } },
                // The deployed apply runs in the Assign step.
                ArnEquals: { "aws:PrincipalArn": [{ Ref: "HubAssignerRoleArn" }] },
              },
            }),
          ],
        },
        Policies: [
          {
            PolicyName: "WebAclUpdates",
            PolicyDocument: {
              Statement: [
                {
                  Effect: "Allow",
                  Action: WAF_WRITE_ACTIONS,
                  Resource: {
                    "Fn::Join": [
                      "",
                      ["arn:", { Ref: "AWS::Partition" }, ":wafv2:*:", { Ref: "AWS::AccountId" }, ":*/webacl/*/*"],
                    ],
                  },
                },
              ],
              Version: "2012-10-17",
            },
          },
        ],
      },
    });
  });

  it("lets the collector assume it in every account", () => {
    const hub = Template.fromStack(synth.hub);
    hub.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "sts:AssumeRole",
            Resource: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::*:role/wshub-waf-writer"]] },
          }),
        ]),
      },
    });
  });

  it("passes cfn-lint", () => {
    const dir = join(outdir, "assembly-MemberTemplate");
    const templates = readdirSync(dir)
      .filter((f) => f.endsWith(".template.json"))
      .map((f) => join(dir, f));
    const output = execFileSync("cfn-lint", ["--ignore-checks", "W3005", "W3045", "--", ...templates], {
      encoding: "utf8",
    });
    expect(output).toBe("");
  });
});
