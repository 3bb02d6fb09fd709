import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RECEIVE_COUNT } from "../src/reactions.js";
import { exampleDeployment, INFRA_DIR, synthExample } from "./fixtures.js";

const ORG = "o-abcd123456";
let synth: ReturnType<typeof synthExample>;
let hub: Template;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "wshub-cdk-signals-"));
  const deployment = exampleDeployment({
    signals: {
      organizationId: ORG,
      maximumConcurrency: 3,
      batchSize: 10,
      forwarders: [
        { service: "guardduty", accountId: "999999999999", regions: ["us-east-1", "eu-central-1"] },
        { service: "inspector2", accountId: "999999999999", regions: ["us-east-1"] },
        { service: "macie", accountId: "888888888888", regions: ["us-east-1"] },
      ],
    },
  });
  // cdk-nag runs during synth: an unacknowledged finding throws here.
  synth = synthExample({
    outdir,
    deployment,
    reactHandlerEntry: join(INFRA_DIR, "test", "fixtures", "react-handler.ts"),
  });
  hub = Template.fromStack(synth.hub);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("signals in the hub (reactions.ts)", () => {
  it("has a custom bus that only the organization may put to", () => {
    hub.hasResourceProperties("AWS::Events::EventBus", { Name: "wshub-signals" });
    hub.hasResourceProperties("AWS::Events::EventBusPolicy", {
      Statement: {
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
      },
    });
  });

  it("routes the three finding events to a KMS queue with a dead-letter queue", () => {
    hub.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: Match.anyValue(),
      EventPattern: {
        source: ["aws.guardduty", "aws.macie", "aws.inspector2"],
        "detail-type": ["GuardDuty Finding", "Macie Finding", "Inspector2 Finding"],
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    hub.hasResourceProperties("AWS::SQS::Queue", {
      KmsMasterKeyId: Match.anyValue(),
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  });

  it("drives the react function from the queue: partial batch failures, bounded concurrency", () => {
    hub.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    hub.hasResourceProperties("AWS::Lambda::Function", { Timeout: 300, Description: Match.stringLikeRegexp("react") });
    // The function's table and its share of a tenant's ceiling come from the stack, the same values it deploys.
    hub.hasResourceProperties("AWS::Lambda::Function", {
      Description: Match.stringLikeRegexp("react"),
      Environment: {
        Variables: Match.objectLike({ WSHUB_SIGNALS_TABLE: Match.anyValue(), WSHUB_REACT_CONCURRENCY: "3" }),
      },
    });
    hub.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TableName: "wshub-signals",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("alarms on dead letters, function errors and undelivered events", () => {
    const alarms = Object.values(hub.findResources("AWS::CloudWatch::Alarm")).map(
      (a) => (a as { Properties: { MetricName: string } }).Properties.MetricName,
    );
    expect(alarms).toEqual(
      expect.arrayContaining(["ApproximateNumberOfMessagesVisible", "Errors", "FailedInvocations"]),
    );
  });
});

describe("forwarding stacks in the delegated-administrator accounts", () => {
  it("has one stack per account and region, with a rule per service to the hub bus through a role", () => {
    expect(synth.forwarders.map((f) => `${f.account}/${f.region}`).sort()).toEqual([
      "888888888888/us-east-1",
      "999999999999/eu-central-1",
      "999999999999/us-east-1",
    ]);
    const both = Template.fromStack(
      synth.forwarders.find((f) => f.account === "999999999999" && f.region === "us-east-1")!,
    );
    both.resourceCountIs("AWS::Events::Rule", 2);
    both.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        detail: { resource: { resourceType: ["Instance"] } },
      },
      Targets: [
        Match.objectLike({
          Arn: "arn:aws:events:us-east-1:222222222222:event-bus/wshub-signals",
          RoleArn: Match.anyValue(),
        }),
      ],
    });
    both.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [
          {
            Effect: "Allow",
            Action: "events:PutEvents",
            Resource: "arn:aws:events:us-east-1:222222222222:event-bus/wshub-signals",
          },
        ],
      },
    });
  });

  it("passes cfn-lint, hub and forwarders", () => {
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith(".template.json") && /Hub|Forward/.test(f))
      .map((f) => join(outdir, f));
    expect(templates.length).toBe(4);
    const output = execFileSync("cfn-lint", ["--ignore-checks", "W3005", "W3045", "--", ...templates], {
      encoding: "utf8",
    });
    expect(output).toBe("");
  });
});
