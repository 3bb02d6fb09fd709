import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsSandbox, type AwsCredentials, type AwsSandbox } from "../src/aws/index.js";
import { CallCounter } from "../src/control/stats.js";
import { createHubSignalRoute, type HubSignalRoute } from "../src/events/hub-bus.js";
import { injectFindings, type InjectRequest } from "../src/events/injector.js";
import { motoJson } from "../src/events/moto-json.js";
import { inspectorTime } from "../src/events/finding-events.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";

const scenario = loadScenarioFile(builtInScenarioPath("signals-small"));
const { hubAccountId, managementAccountId } = scenario.organization;
const PAYMENTS = "333333333333";
let aws: AwsSandbox;
let route: HubSignalRoute;

beforeAll(async () => {
  aws = await startAwsSandbox({
    scenario,
    counter: new CallCounter(),
    // No table is used: the front needs an address only.
    dynamodbEndpoint: "http://127.0.0.1:9",
    inspector2: () => Promise.resolve({ status: 404, headers: {}, body: "" }),
  });
  route = await createHubSignalRoute({
    motoEndpoint: aws.motoEndpoint,
    frontEndpoint: aws.endpoint,
    hubAccountId,
    managementAccountId,
    region: scenario.homeRegion,
    organization: true,
  });
}, 120_000);

afterAll(async () => aws?.stop());

const inject = (request: InjectRequest) =>
  injectFindings(
    {
      motoEndpoint: aws.motoEndpoint,
      accountId: hubAccountId,
      region: scenario.homeRegion,
      eventBusName: route.eventBusName,
    },
    request,
  );

interface Received {
  Messages?: { Body: string; ReceiptHandle: string }[];
}

/** Everything on the hub queue now (moto answers at once when the queue is empty). */
async function drain(queueUrl = route.queueUrl): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (;;) {
    const answer = await motoJson<Received>(aws.motoEndpoint, {
      service: "sqs",
      operation: "ReceiveMessage",
      accountId: hubAccountId,
      region: scenario.homeRegion,
      body: { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 },
    });
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return bodies;
    for (const message of messages) {
      bodies.push(JSON.parse(message.Body) as Record<string, unknown>);
      await motoJson(aws.motoEndpoint, {
        service: "sqs",
        operation: "DeleteMessage",
        accountId: hubAccountId,
        region: scenario.homeRegion,
        body: { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle },
      });
    }
  }
}

describe("finding injector: PutEvents → hub bus → rule → SQS (moto)", () => {
  it("delivers each kind as an EventBridge event, the member account in the body", async () => {
    const outcome = await inject({
      findings: [
        { kind: "guardduty", accountId: PAYMENTS, region: "us-east-1", instanceId: "i-0a10000000000001" },
        { kind: "macie", accountId: PAYMENTS, region: "us-east-1", bucket: "payments-reports" },
        {
          kind: "inspector",
          accountId: PAYMENTS,
          region: "us-east-1",
          instanceId: "i-0a10000000000001",
          cve: "CVE-2024-1002",
        },
      ],
    });
    expect(outcome).toMatchObject({ put: 3, failed: 0, duplicates: 0 });
    const events = await drain();
    expect(events.map((e) => [e["source"], e["detail-type"]]).sort()).toEqual([
      ["aws.guardduty", "GuardDuty Finding"],
      ["aws.inspector2", "Inspector2 Finding"],
      ["aws.macie", "Macie Finding"],
    ]);
    const byType = new Map(events.map((e) => [e["source"], e["detail"] as Record<string, unknown>]));
    expect(byType.get("aws.guardduty")).toMatchObject({
      accountId: PAYMENTS,
      resource: { resourceType: "Instance", instanceDetails: { instanceId: "i-0a10000000000001" } },
    });
    expect(byType.get("aws.macie")).toMatchObject({
      accountId: PAYMENTS,
      resourcesAffected: { s3Bucket: { name: "payments-reports" } },
    });
    expect(byType.get("aws.inspector2")).toMatchObject({
      awsAccountId: PAYMENTS,
      packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-1002" },
    });
  });

  it("repeats the asked share of events and can deliver them out of order", async () => {
    const findings = Array.from({ length: 10 }, (_, n) => ({
      kind: "guardduty" as const,
      accountId: PAYMENTS,
      region: "us-east-1",
      instanceId: "i-0a10000000000001",
      findingId: `finding-${n}`,
      updatedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    }));
    const outcome = await inject({ findings, duplicateRate: 0.3, outOfOrder: true, seed: 7 });
    expect(outcome).toMatchObject({ put: 13, duplicates: 3 });
    const ids = (await drain()).map((e) => (e["detail"] as { id: string }).id);
    expect(ids).toHaveLength(13);
    expect(new Set(ids).size).toBe(10);
    expect(ids).not.toEqual([...ids].sort());
  });

  it("paces a stream at the asked rate: 30 events at 20 a second go out in three puts over a second", async () => {
    const findings = Array.from({ length: 30 }, (_, n) => ({
      kind: "guardduty" as const,
      accountId: PAYMENTS,
      region: "us-east-1",
      instanceId: "i-0a10000000000001",
      findingId: `paced-${n}`,
      updatedAt: "2026-01-01T00:00:00.000Z",
    }));
    const { events } = await inject({ findings, eventsPerSecond: 20 });
    const puts = [...new Set(events.map((e) => e.putAt))];
    expect(puts).toHaveLength(3);
    expect((puts[2] ?? 0) - (puts[0] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await drain()).toHaveLength(30);
    await expect(inject({ findings, eventsPerSecond: 0 })).rejects.toThrow(/eventsPerSecond/);
  });

  it("puts a malformed event as given, and refuses a request it cannot build", async () => {
    await inject({ raw: [{ source: "aws.guardduty", detailType: "GuardDuty Finding", detail: { nonsense: 1 } }] });
    expect((await drain()).map((e) => e["detail"])).toEqual([{ nonsense: 1 }]);
    await expect(inject({ findings: [{ kind: "nope" } as never] })).rejects.toThrow(/kind must be one of/);
    await expect(inject({ duplicateRate: 2 })).rejects.toThrow(/duplicateRate/);
  });

  it("writes Inspector's own time format", () => {
    expect(inspectorTime("2024-09-04T16:59:44.356Z")).toBe("Wed Sep 04 16:59:44.356 UTC 2024");
  });
});

describe("scenario IAM roles, instance profiles and bucket policies", () => {
  let member: AwsCredentials;
  const config = (region = "us-east-1") => ({ endpoint: aws.endpoint, region, credentials: member });

  beforeAll(async () => {
    const sts = new STSClient({ endpoint: aws.endpoint, region: "us-east-1", credentials: aws.credentials.hub });
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PAYMENTS}:role/${aws.memberRole.name}`,
        RoleSessionName: "signals-test",
        ExternalId: aws.memberRole.externalId,
      }),
    );
    member = {
      accessKeyId: answer.Credentials?.AccessKeyId ?? "",
      secretAccessKey: answer.Credentials?.SecretAccessKey ?? "",
      sessionToken: answer.Credentials?.SessionToken ?? "",
    };
  });

  it("serves the bucket policy and the roles with their policies and instance profiles", async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: "payments-reports" }))).Policy ?? "");
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["WebAppReads", "BatchFromVpce"]);
    const details = await new IAMClient(config()).send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ["Role", "LocalManagedPolicy"] }),
    );
    const roles = new Map((details.RoleDetailList ?? []).map((r) => [r.RoleName, r]));
    expect(roles.get("web-app")?.RolePolicyList?.map((p) => p.PolicyName)).toEqual(["logs"]);
    expect(roles.get("reports-reader")?.AttachedManagedPolicies?.map((p) => p.PolicyName)).toEqual([
      "read-payments-reports",
    ]);
    expect(roles.get("batch-worker")?.InstanceProfileList?.map((p) => p.InstanceProfileName)).toEqual(["batch-worker"]);
  });

  it("finds the instances that run with a profile (DescribeInstances iam-instance-profile.arn)", async () => {
    const arn = `arn:aws:iam::${PAYMENTS}:instance-profile/reports-reader`;
    const answer = await new EC2Client(config()).send(
      new DescribeInstancesCommand({ Filters: [{ Name: "iam-instance-profile.arn", Values: [arn] }] }),
    );
    const ids = (answer.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId));
    expect(ids).toEqual(["i-0a20000000000002"]);
  });
});
