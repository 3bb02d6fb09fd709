import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { App, Duration, Stack } from "aws-cdk-lib";
import { AUDIT_INDEXES, RUNS_INDEXES } from "@wshub/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubConfigFor, loadDeployment } from "../src/deployment.js";
import { WshubFunction } from "../src/functions.js";
import { MEMBER_COMPLIANCE_ACTIONS, MEMBER_SIGNAL_ACTIONS, MEMBER_ROLE_ACTIONS } from "../src/member-role-stack.js";
import { MEMBER_WAF_READ_ACTIONS } from "../src/waf-roles.js";
import { exampleDeployment, synthExample } from "./fixtures.js";

let synth: ReturnType<typeof synthExample>;
let hub: Template;
let organization: Template;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "wshub-cdk-"));
  // cdk-nag's AwsSolutions checks run during synth: an unacknowledged finding would throw here.
  synth = synthExample({ outdir });
  hub = Template.fromStack(synth.hub);
  organization = Template.fromStack(synth.organization);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("hub stack", () => {
  it("has the three tables with the store's keys and indexes, PITR, deletion protection and a customer key", () => {
    for (const [table, indexes] of [
      ["wshub-findings", []],
      ["wshub-runs", [RUNS_INDEXES.byStartedAt]],
      ["wshub-audit", Object.values(AUDIT_INDEXES)],
    ] as const) {
      hub.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
        TableName: table,
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes:
          indexes.length === 0 ? Match.absent() : indexes.map((name) => Match.objectLike({ IndexName: name })),
        SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      });
    }
  });

  it("lets no principal update or delete audit items, and grants no role UpdateItem/DeleteItem on it", () => {
    hub.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TableName: "wshub-audit",
      Replicas: [
        Match.objectLike({
          ResourcePolicy: {
            PolicyDocument: Match.objectLike({
              Statement: [
                Match.objectLike({
                  Effect: "Deny",
                  Principal: "*",
                  Action: Match.arrayWith(["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]),
                }),
              ],
            }),
          },
        }),
      ],
    });
    const auditId = synth.hub.getLogicalId(synth.hub.tables.audit.node.defaultChild as never);
    for (const policy of Object.values(hub.findResources("AWS::IAM::Policy"))) {
      for (const statement of (
        policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }
      ).Properties.PolicyDocument.Statement) {
        const actions = ([] as string[]).concat(statement.Action);
        if (JSON.stringify(statement.Resource).includes(auditId)) {
          expect(actions.filter((a) => /UpdateItem|DeleteItem|BatchWriteItem|dynamodb:\*/.test(a))).toEqual([]);
        }
      }
    }
  });

  it("runs weekly on the configured schedule, with a dead-letter queue", () => {
    hub.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(0 12 ? * WED *)",
      Target: Match.objectLike({
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
      }),
    });
    hub.resourceCountIs("AWS::CloudWatch::Alarm", 3);
  });

  it("fans out over accounts with distributed maps of configured concurrency that tolerate one account's failure", () => {
    const definition = JSON.stringify(Object.values(hub.findResources("AWS::StepFunctions::StateMachine"))[0]);
    const text = definition.replace(/\\"/g, '"');
    expect(text).toMatch(/"Collect":\{"Type":"Map"/);
    expect(text).toMatch(/"ItemProcessor":\{"ProcessorConfig":\{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"\}/);
    expect(text).toContain('"MaxConcurrency":20');
    expect(text).toContain('"MaxConcurrency":10');
    expect(text).toContain('"ToleratedFailurePercentage":100');
    expect(text).toContain('"ItemBatcher":{"MaxItemsPerBatch":5');
    expect(text).toContain('"Lambda.TooManyRequestsException"');
    expect(text).toMatch(/"Catch":\[\{"ErrorEquals":\["States.ALL"\]/);
    for (const state of ['"StartRun"', '"Evaluate"', '"Assign"', '"Report"', '"FinishRun"'])
      expect(text).toContain(state);
    // One run at a time: an execution whose StartRun found the run lease held ends at once, having done nothing.
    expect(text).toMatch(/"Variable":"\$\.refused","IsPresent":true,"Next":"RunRefused"/);
    expect(text).toMatch(/"RunRefused":\{"Type":"Fail","Error":"WshubRunRefused","CausePath":"\$\.refused"\}/);
    hub.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ALL" }),
    });
  });

  it("prepares each tenant once, then evaluates its accounts in batches in a distributed map", () => {
    const text = JSON.stringify(Object.values(hub.findResources("AWS::StepFunctions::StateMachine"))[0]).replace(
      /\\"/g,
      '"',
    );
    const states = [...text.matchAll(/"(Collect|Prepare|Evaluate|Report)":\{"Type":"Map"/g)].map((m) => m[1]);
    expect(states).toEqual(["Collect", "Prepare", "Evaluate", "Report"]);
    // Prepare: an inline Map over the tenants, one PrepareTenant a tenant; then straight on to the batches.
    expect(text).toMatch(/"Prepare":\{"Type":"Map"[^]*?"Next":"Evaluate"[^]*?"ItemsPath":"\$\.tenants"/);
    expect(text).toMatch(
      /"Evaluate":\{"Type":"Map"[^]*?"ItemsPath":"\$\.evaluationBatches"[^]*?"Mode":"DISTRIBUTED"[^]*?"StartAt":"EvaluateAccounts"/,
    );
    expect(text).not.toContain("EvaluateTenant");
    // Each batch reads the tenant's snapshot back as PrepareTenant built it: the same memory (1.72 GB peak at L).
    hub.hasResourceProperties("AWS::Lambda::Function", {
      Description: Match.stringLikeRegexp("^wshub: evaluateAccounts "),
      MemorySize: 3008,
      Timeout: 600,
    });
  });

  it("gives the deployed runs a lease that outlives the longest gap between two steps", () => {
    const names = {
      findingsTable: "t-findings",
      runsTable: "t-runs",
      auditTable: "t-audit",
      reportBucket: "t-reports",
    };
    const deployment = exampleDeployment();
    const secrets = Object.fromEntries(deployment.tenants.map((t) => [t.name, `arn:aws:secretsmanager:x:${t.name}`]));
    expect(hubConfigFor(deployment, { ...names, tenantSecrets: secrets }).hub.leaseSeconds).toBe(900);
  });

  it("gives each function its configuration parameter, validated at synth", () => {
    hub.resourceCountIs("AWS::Lambda::Function", 8);
    hub.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Environment: {
        Variables: Match.objectLike({ WSHUB_CONFIG_PARAMETER: { Ref: Match.stringLikeRegexp("^Configuration") } }),
      },
    });
    const stack = new Stack(new App(), "Probe");
    expect(
      () =>
        new WshubFunction(stack, "Broken", {
          prefix: "x",
          step: "collect",
          environment: {},
          memorySize: 128,
          timeout: Duration.minutes(1),
        }),
    ).toThrow(/WSHUB_CONFIG_PARAMETER: set exactly one of WSHUB_CONFIG_PARAMETER and WSHUB_CONFIG_JSON/);
  });

  it("scopes SES sending to the sender identity", () => {
    hub.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["ses:SendEmail", "ses:SendRawEmail"],
            Resource: [
              {
                "Fn::Join": [
                  "",
                  [
                    "arn:",
                    { Ref: "AWS::Partition" },
                    ":ses:us-east-1:222222222222:identity/wshub@security.example.com",
                  ],
                ],
              },
              {
                "Fn::Join": [
                  "",
                  ["arn:", { Ref: "AWS::Partition" }, ":ses:us-east-1:222222222222:identity/security.example.com"],
                ],
              },
            ],
          }),
        ]),
      },
    });
  });
});

describe("insights hand-offs", () => {
  it("catalogs the archive for Athena: CSV and OCSF tables partitioned by day, with partition projection", () => {
    hub.hasResourceProperties("AWS::Glue::Database", { DatabaseInput: { Name: "wshub_archive" } });
    for (const [name, folder, serde] of [
      ["coverage_csv", "coverage-csv", "org.apache.hadoop.hive.serde2.OpenCSVSerde"],
      ["coverage_ocsf", "coverage-ocsf", "org.openx.data.jsonserde.JsonSerDe"],
    ] as const)
      hub.hasResourceProperties("AWS::Glue::Table", {
        DatabaseName: "wshub_archive",
        TableInput: Match.objectLike({
          Name: name,
          PartitionKeys: [{ Name: "dt", Type: "string" }],
          Parameters: Match.objectLike({
            "projection.enabled": "true",
            "projection.dt.format": "yyyy-MM-dd",
            "storage.location.template": `s3://example-security-archive/wshub/${folder}/dt=\${dt}/`,
          }),
          StorageDescriptor: Match.objectLike({
            Location: `s3://example-security-archive/wshub/${folder}/`,
            SerdeInfo: Match.objectLike({ SerializationLibrary: serde }),
          }),
        }),
      });
    const csv = Object.values(hub.findResources("AWS::Glue::Table")).find(
      (t) => (t as { Properties: { TableInput: { Name: string } } }).Properties.TableInput.Name === "coverage_csv",
    ) as { Properties: { TableInput: { StorageDescriptor: { Columns: { Name: string }[] } } } };
    expect(csv.Properties.TableInput.StorageDescriptor.Columns.map((c) => c.Name)).toContain("priority");
  });

  it("lets the finish step import findings into the hub's Security Hub and write under the archive prefix only", () => {
    hub.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "securityhub:BatchImportFindings",
            Resource: {
              "Fn::Join": [
                "",
                ["arn:", { Ref: "AWS::Partition" }, ":securityhub:us-east-1:222222222222:product/222222222222/default"],
              ],
            },
          }),
          Match.objectLike({
            Action: "s3:PutObject",
            Resource: {
              "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":s3:::example-security-archive/wshub/*"]],
            },
          }),
        ]),
      },
    });
  });
});

describe("member role and StackSet", () => {
  it("deploys the member role with a service-managed, auto-deploying StackSet to the chosen OUs", () => {
    organization.hasResourceProperties("AWS::CloudFormation::StackSet", {
      PermissionModel: "SERVICE_MANAGED",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ["ou-ab12-prod0001", "ou-ab12-dev00001"] },
          Regions: ["us-east-1"],
        },
      ],
      Parameters: Match.arrayWith([
        { ParameterKey: "HubCollectorRoleArn", ParameterValue: "arn:aws:iam::222222222222:role/wshub-collector" },
      ]),
    });
  });

  it("keeps the member template flat (no nested stacks, no assets, no bootstrap parameter)", () => {
    const template = synth.memberTemplate as {
      Resources: Record<string, { Type: string }>;
      Parameters: Record<string, unknown>;
    };
    // The member role, and the WAF write role (deployed under a condition: WAF apply).
    expect(Object.values(template.Resources).map((r) => r.Type)).toEqual(["AWS::IAM::Role", "AWS::IAM::Role"]);
    expect(Object.keys(template.Parameters).sort()).toEqual([
      "ExternalId",
      "HubAccountId",
      "HubAssignerRoleArn",
      "HubCollectorRoleArn",
      "HubComplianceRoleArn",
      "HubEvaluatorRoleArn",
      "HubReactorRoleArn",
      "RoleName",
      "WafWriteRole",
      "WafWriteRoleName",
    ]);
  });

  it("trusts only the hub's collector role with the external id, and allows exactly what collection calls", () => {
    const member = Template.fromJSON(synth.memberTemplate as never);
    member.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } },
              ArnEquals: {
                "aws:PrincipalArn": [
                  { Ref: "HubCollectorRoleArn" },
                  { Ref: "HubComplianceRoleArn" },
                  { Ref: "HubReactorRoleArn" },
                  { Ref: "HubEvaluatorRoleArn" },
                ],
              },
            },
          }),
        ],
      },
      Policies: [
        {
          PolicyName: "CollectionRead",
          PolicyDocument: {
            Statement: [Match.objectLike({ Action: MEMBER_ROLE_ACTIONS, Resource: "*" })],
            Version: "2012-10-17",
          },
        },
        {
          PolicyName: "ComplianceEvaluations",
          PolicyDocument: {
            Statement: [Match.objectLike({ Action: MEMBER_COMPLIANCE_ACTIONS, Resource: "*" })],
            Version: "2012-10-17",
          },
        },
        {
          PolicyName: "WafRead",
          PolicyDocument: {
            Statement: [Match.objectLike({ Action: MEMBER_WAF_READ_ACTIONS, Resource: "*" })],
            Version: "2012-10-17",
          },
        },
        {
          PolicyName: "SignalReads",
          PolicyDocument: {
            Statement: [Match.objectLike({ Action: MEMBER_SIGNAL_ACTIONS, Resource: "*" })],
            Version: "2012-10-17",
          },
        },
      ],
    });
    Template.fromStack(synth.managementMemberRole).hasParameter("HubAccountId", { Default: "222222222222" });
  });

  it("lets the evaluate step read WAF through the member role (recommend: no WAF write role is assumed)", () => {
    const policies = hub.findResources("AWS::IAM::Policy");
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const assumes = statements.filter((st) => st.Action === "sts:AssumeRole").map((st) => JSON.stringify(st.Resource));
    expect(assumes.some((r) => r.includes(":role/wshub-member-read"))).toBe(true);
    expect(assumes.some((r) => r.includes("waf-writer"))).toBe(false);
    hub.hasResourceProperties("AWS::IAM::Role", { RoleName: "wshub-evaluator" });
    organization.hasResourceProperties("AWS::CloudFormation::StackSet", {
      Parameters: Match.arrayWith([
        { ParameterKey: "HubEvaluatorRoleArn", ParameterValue: "arn:aws:iam::222222222222:role/wshub-evaluator" },
      ]),
    });
  });

  it("lets only the hub's organizer role list the organization", () => {
    organization.hasResourceProperties("AWS::IAM::Role", {
      RoleName: "wshub-org-read",
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/wshub-organizer" } },
          }),
        ],
      },
    });
  });
});

describe("deployment validation", () => {
  it("names the field that is wrong", () => {
    expect(() => loadDeployment({ ...exampleDeployment(), targetOrganizationalUnits: ["ou-prod"] })).toThrow(
      /targetOrganizationalUnits.0: must be an OU id/,
    );
    expect(() =>
      synthExample({
        deployment: exampleDeployment({ hub: { ...exampleDeployment().hub, reports: { sender: "nope" } } }),
      }),
    ).toThrow(/reports.sender: must be an e-mail address/);
  });
});

describe("AWS Config compliance rules", () => {
  it("deploys one organization custom Lambda rule a rule, on change and periodic, on EC2 instances", () => {
    const rules = hub.findResources("AWS::Config::OrganizationConfigRule");
    expect(Object.keys(rules)).toHaveLength(4);
    hub.hasResourceProperties("AWS::Config::OrganizationConfigRule", {
      OrganizationConfigRuleName: "ws-policy",
      OrganizationCustomRuleMetadata: Match.objectLike({
        OrganizationConfigRuleTriggerTypes: [
          "ConfigurationItemChangeNotification",
          "OversizedConfigurationItemChangeNotification",
          "ScheduledNotification",
        ],
        MaximumExecutionFrequency: "TwentyFour_Hours",
        ResourceTypesScope: ["AWS::EC2::Instance"],
        InputParameters: JSON.stringify({ rule: "ws-policy", policies: ["Base Policy", "EU Web Servers"] }),
      }),
    });
  });

  it("lets Config invoke the function, which may assume the member role, and alarms on its failures", () => {
    hub.hasResourceProperties("AWS::Lambda::Permission", {
      Principal: "config.amazonaws.com",
      Action: "lambda:InvokeFunction",
      SourceArn: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":config:*:*:config-rule/*"]] },
    });
    hub.hasResourceProperties("AWS::IAM::Role", { RoleName: "wshub-compliance" });
    hub.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      AlarmDescription: Match.stringLikeRegexp("AWS Config rules"),
    });
  });

  it("refuses rule parameters the function would refuse, at synth", () => {
    const deployment = exampleDeployment({
      compliance: {
        rules: [{ name: "bad", parameters: { rule: "ws-module-on", module: "antimalware" } }],
        maximumExecutionFrequency: "One_Hour",
        excludedAccounts: [],
      },
    });
    expect(() => synthExample({ deployment })).toThrow(/rule parameter module/);
  });
});

describe("cfn-lint", () => {
  it("passes on every synthesized template", () => {
    const templates = [
      ...readdirSync(outdir)
        .filter((f) => f.endsWith(".template.json"))
        .map((f) => join(outdir, f)),
      ...readdirSync(join(outdir, "assembly-MemberTemplate"))
        .filter((f) => f.endsWith(".template.json"))
        .map((f) => join(outdir, "assembly-MemberTemplate", f)),
    ];
    expect(templates.length).toBe(4);
    // W3005 (explicit DependsOn next to a GetAtt) and W3045 (log bucket ACL) come from CDK's own constructs.
    const output = execFileSync("cfn-lint", ["--ignore-checks", "W3005", "W3045", "--", ...templates], {
      encoding: "utf8",
    });
    expect(output).toBe("");
  });
});
