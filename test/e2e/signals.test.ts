import { react, reactHandler, resetHubContext } from "@wshub/functions";
import { runHub } from "@wshub/hub";
import { ensureSignalTable } from "@wshub/runtime";
import { builtInScenarioPath, HUB_SIGNALS, loadScenarioFile, type InjectRequest } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../src/harness.js";
import { useLambdaEnvironment } from "../src/lambda-env.js";
import { pollQueue, queueDepth, redrive, SIGNALS_REGION as REGION } from "../src/signal-queue.js";

/**
 * The signal workflows through the real path: the sandbox's injector puts finding events on the hub bus (moto
 * EventBridge), the rule delivers them to the hub queue (moto SQS), and this poller hands them to the react Lambda
 * handler in batches as its event source mapping would (deleting what it acknowledged, leaving batch item failures).
 */
const PAYMENTS = "333333333333";
const WEB = "444444444444";
/** web-1 and legacy-3: web-prod's protected computers (tenant global), scanned by no other case. */
const WEB_1 = "i-0b10000000000001";
const LEGACY_3 = "i-0b30000000000003";
/** The stack's maxReceiveCount: deliveries before the DLQ. */
const MAX_RECEIVE_COUNT = HUB_SIGNALS.maxReceiveCount;
/** A storm's retries, short: each delivery gives up after three throttled attempts. */
const STORM_BACKOFF = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const ALLOW = { accounts: [PAYMENTS] };
let world: World;
const saved = { ...process.env };

beforeAll(async () => {
  world = await startWorld(loadScenarioFile(builtInScenarioPath("signals-small")));
  const config = world.config((c) => (c.assignment = { mode: "apply", target: "policy", allow: ALLOW }));
  useLambdaEnvironment(world, config);
  const hub = await world.hub((c) => (c.assignment = { mode: "apply", target: "policy", allow: ALLOW }));
  await ensureSignalTable(hub);
}, 180_000);

afterAll(async () => {
  process.env = saved;
  resetHubContext();
  await world?.stop();
});

async function injectAndPoll(request: InjectRequest) {
  const injected = await world.sandbox.injectFindings(request);
  const failures = await pollQueue(world, { handler: react });
  return { injected, failures };
}

const wsCalls = (tenant = "emea") =>
  world.sandbox.counter.snapshot()["workload-security"]?.bySubjectOperation[tenant] ?? {};

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
    const events = await auditOf("macie-1");
    const audit = JSON.stringify(events);
    for (const instance of ["i-0a10000000000001", "i-0a20000000000002", "i-0a30000000000003"])
      expect(audit).toContain(instance);
    // The scenario's three grants: the bucket policy names web-app; reports-reader has only its own role policy;
    // batch-worker is named under an aws:SourceVpce condition, so it "may" access, never "can".
    const role = (name: string) => `arn:aws:iam::${PAYMENTS}:role/${name}`;
    expect(events.find((e) => e.changeId.endsWith("#access"))?.details).toMatchObject({
      bucket: "payments-reports",
      roles: expect.arrayContaining([
        `${role("web-app")} can access via bucket-policy: s3:GetObject`,
        `${role("reports-reader")} can access via identity-policy: s3:GetObject s3:ListBucket`,
        `${role("batch-worker")} may access via bucket-policy: s3:GetObject s3:PutObject; under conditions aws:SourceVpce`,
      ]),
    });
  });

  it("a burst of findings for one computer makes one scan, the rest coalesced", async () => {
    world.sandbox.counter.reset();
    const burst = [1, 2, 3, 4, 5].map((n) => ({
      kind: "guardduty" as const,
      accountId: WEB,
      region: REGION,
      instanceId: LEGACY_3,
      type: "Recon:EC2/Portscan",
      findingId: `gd-burst-${n}`,
    }));
    const { failures } = await injectAndPoll({ findings: burst });
    expect(failures).toBe(0);
    const scans = (await Promise.all(burst.map((f) => auditOf(f.findingId)))).flat();
    const recommendation = scans.filter((e) => e.change === "recommendation-scan");
    expect(recommendation.filter((e) => e.action === "applied")).toHaveLength(1);
    expect(recommendation.filter((e) => e.action === "skipped" && e.reason?.startsWith("coalesced"))).toHaveLength(4);
    const integrity = scans.filter((e) => e.change === "integrity-scan" && e.action === "applied").length;
    // At the simulator: one recommendation scan task, and the integrity scan where integrity monitoring is on.
    expect(wsCalls("global")["createScheduledTask"]).toBe(1 + integrity);
  });

  it("a 429 storm on the tenant: backoff, back to the queue, to the DLQ after 5 deliveries, acted on when it ends", async () => {
    world.sandbox.counter.reset();
    const stormy = reactHandler({ backoff: STORM_BACKOFF });
    const findingId = "gd-storm-1";
    const finding = { kind: "guardduty" as const, accountId: WEB, region: REGION, instanceId: WEB_1, findingId };
    world.sandbox.faults.set({ workloadSecurity: { global: { errorRate: 1, errorStatus: 429 } } });
    try {
      await world.sandbox.injectFindings({ findings: [{ ...finding, type: "Trojan:EC2/BlackholeTraffic" }] });
      const failures = await pollQueue(world, { handler: stormy, redeliverAtOnce: true });
      expect(failures).toBe(MAX_RECEIVE_COUNT);
    } finally {
      world.sandbox.faults.set({});
    }
    const throttled = world.sandbox.counter.snapshot()["workload-security"]?.byStatus["429"] ?? 0;
    expect(throttled).toBe(MAX_RECEIVE_COUNT * STORM_BACKOFF.maxAttempts);
    expect(await queueDepth(world, world.sandbox.info.signals.queueUrl)).toBe(0);
    expect(await redrive(world)).toBe(1);
    expect(await pollQueue(world, { handler: stormy })).toBe(0);
    const audit = await auditOf(findingId);
    expect(audit.find((e) => e.change === "recommendation-scan" && e.action === "applied")).toBeTruthy();
    expect(wsCalls("global")["searchComputers"]).toBe(MAX_RECEIVE_COUNT * STORM_BACKOFF.maxAttempts + 1);
  });

  it("a malformed event is rejected with its reason and acknowledged", async () => {
    const { failures } = await injectAndPoll({
      raw: [
        { source: "aws.guardduty", detailType: "GuardDuty Finding", detail: { id: "gd-malformed-1", nonsense: true } },
      ],
    });
    expect(failures).toBe(0);
    expect(await queueDepth(world, world.sandbox.info.signals.queueUrl)).toBe(0);
  });
});
