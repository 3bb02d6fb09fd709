import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, splitForIndex, type AuditEvent } from "@wshub/core";
import { DynamoAuditStore, DynamoLeaseStore, DynamoRunStore } from "../src/index.js";
import { localTables, runRecord } from "./helpers.js";

let env: Awaited<ReturnType<typeof localTables>>;
beforeAll(async () => {
  env = await localTables("w");
});
afterAll(async () => env?.stop());

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute)).toISOString();

function event(id: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: `run-w#abc#${id}`,
    runId: "run-w",
    at: at(0),
    actor: "arn:aws:iam::222222222222:user/test",
    mode: "apply",
    action: "intent",
    change: "ips-rules",
    changeId: "run-w#emea#computer-10",
    tenant: "emea",
    accountId: "333333333333",
    region: "us-east-1",
    instanceId: "i-0a10000000000001",
    computerId: 10,
    policyId: 2,
    targetKind: "computer",
    targetId: 10,
    ruleIds: [102],
    ruleIdentifiers: ["1011002"],
    ruleNames: ["Nginx"],
    cves: ["CVE-2024-1002"],
    findingArns: [],
    ...overrides,
  };
}

describe("leases", () => {
  const holder = (runId: string) => ({ runId, actor: "arn:aws:iam::222222222222:user/test", where: "host pid 1" });
  const now = new Date("2026-12-02T10:00:00.000Z");
  const later = (ms: number) => new Date(now.getTime() + ms);

  it("is taken once, refused to a second holder with who holds it, renewed and released only by its holder", async () => {
    const leases = new DynamoLeaseStore(env.client, env.names.runs);
    expect(await leases.acquire("run", holder("run-a"), 60_000, now)).toMatchObject({ acquired: true });
    const refused = await leases.acquire("run", holder("run-b"), 60_000, later(1_000));
    expect(refused).toMatchObject({ acquired: false, current: { holder: { runId: "run-a" } } });
    // The holder itself may take it again (a Lambda step re-invoked with the same run).
    expect(await leases.acquire("run", holder("run-a"), 60_000, later(2_000))).toMatchObject({ acquired: true });
    expect(await leases.renew("run", "run-b", 60_000, later(3_000))).toBe(false);
    expect(await leases.renew("run", "run-a", 60_000, later(3_000))).toBe(true);
    await leases.release("run", "run-b");
    expect((await leases.get("run"))?.holder.runId).toBe("run-a");
    await leases.release("run", "run-a");
    expect(await leases.get("run")).toBeUndefined();
  });

  it("expires when its holder stops renewing it, and the taker learns whose lease it replaced", async () => {
    const leases = new DynamoLeaseStore(env.client, env.names.runs);
    await leases.acquire("tenant#emea", holder("run-dead"), 10_000, now);
    const claim = await leases.acquire("tenant#emea", holder("run-next"), 10_000, later(10_001));
    expect(claim).toMatchObject({ acquired: true, replaced: { holder: { runId: "run-dead" } } });
    // The dead holder's late heartbeat finds it gone.
    expect(await leases.renew("tenant#emea", "run-dead", 10_000, later(10_002))).toBe(false);
  });
});

describe("run heartbeats and unfinished runs", () => {
  const record = (runId: string) => runRecord(runId, at(0), { heartbeatExpiresAt: at(2) });

  it("moves a running run's heartbeat, closes it once as interrupted, and never reopens a finished one", async () => {
    const runs = new DynamoRunStore(env.client, env.names.runs);
    await runs.createRun(record("run-h"));
    expect(await runs.heartbeat("run-h", at(5))).toBe(true);
    expect((await runs.getRun("run-h"))?.heartbeatExpiresAt).toBe(at(5));
    const error = {
      scope: "run" as const,
      subject: "run-h",
      code: ERROR_CODES.RUN_INTERRUPTED,
      message: "stopped by SIGTERM",
    };
    expect(await runs.closeUnfinished("run-h", "interrupted", at(6), error)).toBe(true);
    expect(await runs.closeUnfinished("run-h", "abandoned", at(7), error)).toBe(false);
    expect(await runs.heartbeat("run-h", at(8))).toBe(false);
    expect(await runs.getRun("run-h")).toMatchObject({ status: "interrupted", finishedAt: at(6), errors: [error] });
  });
});

describe("the audit trail's write-ahead items", () => {
  it("finds the intents that have no outcome, per tenant and within the window", async () => {
    const audit = new DynamoAuditStore(env.client, env.names.audit);
    await audit.append([
      event("1", { at: at(1) }),
      event("2", { at: at(2), instanceId: "i-2" }),
      event("3", { at: at(3), tenant: "global" }),
      event("9", { at: at(0) }),
    ]);
    await audit.append([event("1o", { at: at(4), action: "applied", intentId: "run-w#abc#1" })]);
    const open = await audit.unresolvedIntents("emea", at(1));
    expect(open.map((e) => e.eventId)).toEqual(["run-w#abc#2"]);
    expect((await audit.unresolvedIntents("global", at(0))).map((e) => e.eventId)).toEqual(["run-w#abc#3"]);
  });

  it("counts only events inside the time bounds towards a run query's limit", async () => {
    const audit = new DynamoAuditStore(env.client, env.names.audit);
    const runId = "run-limit";
    const events = Array.from({ length: 30 }, (_, i) =>
      event(`L${String(i).padStart(2, "0")}`, {
        runId,
        eventId: `${runId}#x#${String(i).padStart(2, "0")}`,
        at: at(i),
        action: "applied",
      }),
    );
    await audit.append(events);
    const found = await audit.query({ runId, since: at(0), until: at(9), limit: 5 });
    expect(found.map((e) => e.at)).toEqual([at(9), at(8), at(7), at(6), at(5)]);
  });

  it("never splits an event across transactions: a huge one is written as parts, each with its index items", async () => {
    const audit = new DynamoAuditStore(env.client, env.names.audit);
    const cves = Array.from({ length: 150 }, (_, i) => `CVE-2025-${10_000 + i}`);
    const ruleIds = Array.from({ length: 60 }, (_, i) => 1_000 + i);
    const huge = event("huge", {
      eventId: "run-huge#x#1",
      runId: "run-huge",
      action: "applied",
      cves,
      ruleIds,
      ruleIdentifiers: ruleIds.map(String),
      ruleNames: ruleIds.map((id) => `rule ${id}`),
    });
    await expect(audit.append([huge])).rejects.toMatchObject({ code: ERROR_CODES.STORE_FAILED });
    expect(await audit.query({ runId: "run-huge" })).toEqual([]);
    const parts = splitForIndex(huge).map((part, i) => ({ ...part, eventId: `run-huge#x#p${i}` }));
    expect(parts.length).toBe(3);
    await audit.append(parts);
    const stored = await audit.query({ runId: "run-huge" });
    expect(stored.flatMap((e) => e.cves).sort()).toEqual([...cves].sort());
    expect(stored.flatMap((e) => e.ruleIds).sort()).toEqual(ruleIds);
    expect(stored.map((e) => e.part)).toEqual(
      expect.arrayContaining([
        { index: 1, of: 3 },
        { index: 3, of: 3 },
      ]),
    );
    for (const cve of [cves[0], cves[149]]) expect(await audit.query({ cve: cve! })).toHaveLength(1);
  });

  it("indexes an event by the finding that caused it", async () => {
    const audit = new DynamoAuditStore(env.client, env.names.audit);
    const signal = { source: "guardduty" as const, findingId: "gd-1", updatedAt: at(0) };
    await audit.append([event("s1", { action: "planned", signal }), event("s2", { action: "planned" })]);
    expect((await audit.query({ findingId: "gd-1" })).map((e) => e.eventId)).toEqual(["run-w#abc#s1"]);
  });
});
