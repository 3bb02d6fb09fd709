import { react, resetHubContext } from "@wshub/functions";
import { runHub } from "@wshub/hub";
import { ensureSignalTable } from "@wshub/runtime";
import { builtInScenarioPath, loadScenarioFile, motoJson, type InjectRequest } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../src/harness.js";

/**
 * The signal workflows through the real path: the sandbox's injector puts finding events on the hub bus (moto
 * EventBridge), the rule delivers them to the hub queue (moto SQS), and this poller hands them to the react Lambda
 * handler in batches as its event source mapping would (deleting what it acknowledged, leaving batch item failures).
 */
type SQSEvent = Parameters<typeof react>[0];
type SQSRecord = SQSEvent["Records"][number];
const PAYMENTS = "333333333333";
const REGION = "us-east-1";
const ALLOW = { accounts: [PAYMENTS] };
let world: World;
const saved = { ...process.env };

beforeAll(async () => {
  world = await startWorld(loadScenarioFile(builtInScenarioPath("signals-small")));
  const config = world.config((c) => (c.assignment = { mode: "apply", target: "policy", allow: ALLOW }));
  Object.assign(process.env, {
    WSHUB_CONFIG_JSON: JSON.stringify(config),
    WSHUB_OUTPUT_DIR: `${world.outputDir}/functions`,
    AWS_ACCESS_KEY_ID: world.sandbox.info.aws.hub.accessKeyId,
    AWS_SECRET_ACCESS_KEY: world.sandbox.info.aws.hub.secretAccessKey,
    AWS_REGION: world.sandbox.info.region,
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  delete process.env["WSHUB_CONFIG_PARAMETER"];
  resetHubContext();
  const hub = await world.hub((c) => (c.assignment = { mode: "apply", target: "policy", allow: ALLOW }));
  await ensureSignalTable(hub);
}, 180_000);

afterAll(async () => {
  process.env = saved;
  resetHubContext();
  await world?.stop();
});

interface Received {
  Messages?: { MessageId: string; ReceiptHandle: string; Body: string }[];
}

const sqs = <T>(operation: string, body: object) =>
  motoJson<T>(world.sandbox.aws.motoEndpoint, {
    service: "sqs",
    operation,
    accountId: world.scenario.organization.hubAccountId,
    region: REGION,
    body,
  });

/** Drain the hub queue through the handler; returns the messages it reported as failures. */
async function pollQueue(maxRounds = 50): Promise<number> {
  const queueUrl = world.sandbox.info.signals.queueUrl;
  let failures = 0;
  for (let round = 0; round < maxRounds; round++) {
    const answer = await sqs<Received>("ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return failures;
    const event: SQSEvent = { Records: messages.map((m) => record(m.MessageId, m.ReceiptHandle, m.Body)) };
    const result = await react(event, lambdaContext());
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    failures += failed.size;
    for (const m of messages)
      if (!failed.has(m.MessageId)) await sqs("DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle });
  }
  return failures;
}

function record(messageId: string, receiptHandle: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "events",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: world.sandbox.info.signals.queueArn,
    awsRegion: REGION,
  };
}

function lambdaContext(): Parameters<typeof react>[1] {
  return {
    functionName: "react",
    awsRequestId: "test",
    getRemainingTimeInMillis: () => 300_000,
  } as unknown as Parameters<typeof react>[1];
}

async function injectAndPoll(request: InjectRequest) {
  const injected = await world.sandbox.injectFindings(request);
  const failures = await pollQueue();
  return { injected, failures };
}

const wsCalls = () => world.sandbox.counter.snapshot()["workload-security"]?.bySubjectOperation["emea"] ?? {};

async function auditOf(findingId: string) {
  const hub = await world.hub();
  return hub.audit.query({ findingId });
}

describe("signals end to end: PutEvents → bus → queue → react handler", () => {
  it("an Inspector event assigns the covering rule, and the next wshub run reports the row protected", async () => {
    world.sandbox.counter.reset();
    const { failures } = await injectAndPoll({
      findings: [
        {
          kind: "inspector",
          accountId: PAYMENTS,
          region: REGION,
          instanceId: "i-0a10000000000001",
          cve: "CVE-2024-1002",
          findingId: "arn:aws:inspector2:us-east-1:333333333333:finding/e2e-1",
        },
      ],
    });
    expect(failures).toBe(0);
    const assigned =
      (wsCalls()["addIntrusionPreventionRuleIDsToPolicy"] ?? 0) +
      (wsCalls()["addIntrusionPreventionRuleIDsToComputer"] ?? 0);
    expect(assigned).toBe(1);
    const hub = await world.hub((c) => (c.assignment = { mode: "apply", target: "policy", allow: ALLOW }));
    const run = await runHub(hub);
    const row = run.coverage
      .flatMap((c) => c.rows)
      .find((r) => r.instanceId === "i-0a10000000000001" && r.vulnerabilityId === "CVE-2024-1002");
    expect(row?.coverage).toBe("protected");
  });

  it("GuardDuty on a protected instance: a recommendation scan, its result read, an integrity scan, audited", async () => {
    world.sandbox.counter.reset();
    const findingId = "gd-protected-1";
    const { failures } = await injectAndPoll({
      findings: [
        {
          kind: "guardduty",
          accountId: PAYMENTS,
          region: REGION,
          instanceId: "i-0a10000000000001",
          type: "Backdoor:EC2/C&CActivity.B",
          findingId,
        },
      ],
    });
    expect(failures).toBe(0);
    // Recommendation scan + integrity scan, the scan's result read; its rules were assigned by the Inspector event
    // above already, so nothing is left to assign.
    expect(wsCalls()).toMatchObject({ createScheduledTask: 2 });
    expect(wsCalls()["listIntrusionPreventionRuleIDsOnComputer"] ?? 0).toBeGreaterThanOrEqual(1);
    const audit = await auditOf(findingId);
    expect(audit.length).toBeGreaterThan(0);
  });

  it("GuardDuty on an instance without an agent: the notice in the SES outbox names instance and finding", async () => {
    const before = world.sandbox.aws.outbox().length;
    await injectAndPoll({
      findings: [
        {
          kind: "guardduty",
          accountId: PAYMENTS,
          region: REGION,
          instanceId: "i-0a30000000000003",
          findingId: "gd-unprotected-1",
          type: "Trojan:EC2/DNSDataExfiltration",
        },
      ],
    });
    const mails = world.sandbox.aws.outbox().slice(before);
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails.map((m) => m.raw.toString("utf8")).join("\n")).toContain("i-0a30000000000003");
  });

  it("a duplicate delivery acts once: one lookup, one scan for two deliveries", async () => {
    world.sandbox.counter.reset();
    const { injected } = await injectAndPoll({
      findings: [
        {
          kind: "guardduty",
          accountId: PAYMENTS,
          region: REGION,
          instanceId: "i-0a20000000000002",
          findingId: "gd-dup-1",
          type: "Recon:EC2/Portscan",
        },
      ],
      duplicateRate: 1,
    });
    expect(injected).toMatchObject({ put: 2, duplicates: 1 });
    expect(wsCalls()).toMatchObject({ searchComputers: 1 });
    expect(wsCalls()["createScheduledTask"] ?? 0).toBeLessThanOrEqual(2);
  });

  it("Macie on a bucket: the roles that may reach it lead to their instances; the protected ones are scanned", async () => {
    world.sandbox.counter.reset();
    const { failures } = await injectAndPoll({
      findings: [
        { kind: "macie", accountId: PAYMENTS, region: REGION, bucket: "payments-reports", findingId: "macie-1" },
      ],
    });
    expect(failures).toBe(0);
    const audit = JSON.stringify(await auditOf("macie-1"));
    for (const instance of ["i-0a10000000000001", "i-0a20000000000002", "i-0a30000000000003"])
      expect(audit).toContain(instance);
  });

  it("a malformed event is rejected with its reason and acknowledged", async () => {
    const { failures } = await injectAndPoll({
      raw: [
        { source: "aws.guardduty", detailType: "GuardDuty Finding", detail: { id: "gd-malformed-1", nonsense: true } },
      ],
    });
    expect(failures).toBe(0);
    const answer = await sqs<{ Attributes?: Record<string, string> }>("GetQueueAttributes", {
      QueueUrl: world.sandbox.info.signals.queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages"],
    });
    expect(answer.Attributes?.["ApproximateNumberOfMessages"]).toBe("0");
  });
});
