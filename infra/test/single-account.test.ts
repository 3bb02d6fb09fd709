import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import type { CfnResource } from "aws-cdk-lib";
import type { IRole } from "aws-cdk-lib/aws-iam";
import { organizationMode } from "@wshub/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubConfigFor, loadDeployment } from "../src/deployment.js";
import { MEMBER_ROLE_ACTIONS } from "../src/member-role-stack.js";
import { singleAccountDeployment, synthSingleAccount } from "./fixtures.js";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let synth: ReturnType<typeof synthSingleAccount>;
let hub: Template;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "wshub-cdk-single-"));
  // cdk-nag's AwsSolutions checks run during synth: an unacknowledged finding would throw here.
  synth = synthSingleAccount({ outdir });
  hub = Template.fromStack(synth.hub);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Every statement of the policies attached to a role. */
function statementsOf(role: IRole): Statement[] {
  const id = synth.hub.getLogicalId(role.node.defaultChild as CfnResource);
  return Object.values(hub.findResources("AWS::IAM::Policy"))
    .map((p) => (p as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } }).Properties)
    .filter((p) => JSON.stringify(p.Roles).includes(`"${id}"`))
    .flatMap((p) => p.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => ([] as string[]).concat(s.Action));

describe("single-account deployment", () => {
  it("is one stack, the hub's: no organization stack, no StackSet, no management account's member role", () => {
    expect(synth.assembly.stacks.map((s) => s.stackName)).toEqual(["WshubHub"]);
    expect(Object.keys(synth)).not.toContain("organization");
    hub.resourceCountIs("AWS::CloudFormation::StackSet", 0);
    hub.resourceCountIs("AWS::Lambda::Function", 8);
  });

  it("lets the collector read its own account directly, and no function assume any role", () => {
    const collector = statementsOf(synth.hub.functions.collect.role);
    expect(collector).toContainEqual(
      expect.objectContaining({ Effect: "Allow", Action: MEMBER_ROLE_ACTIONS, Resource: "*" }),
    );
    expect(actionsOf(collector)).toEqual(expect.arrayContaining(["inspector2:ListFindings", "ec2:DescribeInstances"]));
    for (const fn of Object.values(synth.hub.functions))
      expect(
        actionsOf(statementsOf(fn.role)).filter((a) => a.startsWith("sts:") || a.startsWith("organizations:")),
      ).toEqual([]);
    expect(synth.hub.memberRoleName).toBeUndefined();
  });

  it("deploys a hub configuration in single-account mode", () => {
    const deployment = singleAccountDeployment();
    const config = hubConfigFor(deployment, {
      findingsTable: "t-findings",
      runsTable: "t-runs",
      auditTable: "t-audit",
      reportBucket: "t-reports",
      tenantSecrets: { main: "arn:aws:secretsmanager:us-east-1:222222222222:secret:wshub/tenants/main" },
    });
    expect(organizationMode(config)).toBe("single-account");
    expect(config.organization).toMatchObject({ mode: "single-account", accountName: "production" });
    expect(config.organization.roleArn).toBeUndefined();
  });

  it("names organization fields left in a single-account deployment; without a mode it is an organization's", () => {
    const raw = { ...singleAccountDeployment(), targetOrganizationalUnits: ["ou-ab12-prod0001"] };
    expect(() => loadDeployment(raw)).toThrow(/unrecognized key.*targetOrganizationalUnits/i);
    const { mode: _mode, ...modeless } = singleAccountDeployment();
    expect(() => loadDeployment(modeless)).toThrow(/managementAccountId/);
  });

  it("passes cfn-lint", () => {
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith(".template.json"))
      .map((f) => join(outdir, f));
    expect(templates.length).toBe(1);
    const output = execFileSync("cfn-lint", ["--ignore-checks", "W3005", "W3045", "--", ...templates], {
      encoding: "utf8",
    });
    expect(output).toBe("");
  });
});
