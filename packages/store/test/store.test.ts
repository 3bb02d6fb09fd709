import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  coverageContent,
  ERROR_CODES,
  FIX_FOR_STATUS,
  findingFingerprint,
  type AccountCoverage,
  type AuditEvent,
  type CoverageRow,
  type Finding,
  type RunRecord,
} from "@wshub/core";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditStore, DynamoFindingStore, DynamoRunStore } from "../src/index.js";
import { findingKey } from "../src/findings-store.js";
import { localTables, runRecord } from "./helpers.js";

let env: Awaited<ReturnType<typeof localTables>>;
beforeAll(async () => {
  env = await localTables("t");
});
afterAll(async () => env?.stop());

const finding = (i: number, account = "333333333333"): Finding => ({
  findingArn: `arn:aws:inspector2:us-east-1:${account}:finding/${i.toString(16).padStart(32, "0")}`,
  accountId: account,
  region: "us-east-1",
  type: "PACKAGE_VULNERABILITY",
  resourceType: "AWS_EC2_INSTANCE",
  resourceId: `i-${String(i % 7).padStart(17, "0")}`,
  vulnerabilityId: `CVE-2024-${1000 + (i % 50)}`,
  severity: "HIGH",
  status: "ACTIVE",
  packages: [{ name: "openssl", version: "1.0" }],
  updatedAt: "2026-11-16T09:00:00.000Z",
});

describe("DynamoFindingStore", () => {
  it("writes in chunks, reads an account back, and knows stored fingerprints", async () => {
    const store = new DynamoFindingStore(env.client, env.names.findings);
    const findings = Array.from({ length: 260 }, (_, i) => finding(i));
    expect(await store.put([...findings, finding(0, "444444444444")])).toBe(261);
    const back: Finding[] = [];
    for await (const page of store.findingsOf("333333333333")) back.push(...page);
    expect(back).toHaveLength(260);
    const version = await store.version("333333333333");
    expect(version).toBeDefined();
    await store.put([findings[0]!]);
    expect(await store.version("333333333333")).not.toBe(version);
    expect(back.find((f) => f.findingArn === findings[5]?.findingArn)).toEqual(findings[5]);
    const prints = await store.fingerprints("333333333333", [
      findings[1]!.findingArn,
      "arn:aws:inspector2:us-east-1:333333333333:finding/nope",
    ]);
    expect(prints.get(findings[1]!.findingArn)).toBe(findingFingerprint(findings[1]!));
    expect(prints.size).toBe(1);
  });

  it("reads findings stored before they were kept as one body attribute, beside the new ones", async () => {
    const store = new DynamoFindingStore(env.client, env.names.findings);
    const legacy = finding(1, "666666666666");
    await env.client.send(
      new PutCommand({
        TableName: env.names.findings,
        Item: { ...legacy, pk: "ACCOUNT#666666666666", sk: findingKey(legacy.findingArn), fingerprint: "x" },
      }),
    );
    await store.put([finding(2, "666666666666")]);
    const back: Finding[] = [];
    for await (const page of store.findingsOf("666666666666")) back.push(...page);
    expect(back).toEqual([legacy, finding(2, "666666666666")]);
  });
});

const run = (id: string, startedAt: string): RunRecord => runRecord(id, startedAt);

function coverage(runId: string, rows: number): AccountCoverage {
  const row = (i: number): CoverageRow => ({
    accountId: "333333333333",
    accountName: "payments",
    region: "us-east-1",
    instanceId: `i-${String(i).padStart(17, "0")}`,
    vulnerabilityId: `CVE-2024-${i}`,
    severity: "HIGH",
    packages: ["openssl 1.0", `lib${i}`],
    findingArns: [`arn:aws:inspector2:us-east-1:333333333333:finding/${Math.random().toString(16).slice(2)}${i}`],
    tenant: "emea",
    coverage: "rule-available",
    coveringRules: [{ id: 101, identifier: "1011001", name: `rule ${i}`, detectOnly: false }],
    effectiveRuleIds: [],
    note: "a covering rule exists but is not assigned",
    fix: FIX_FOR_STATUS["rule-available"],
  });
  return {
    runId,
    accountId: "333333333333",
    accountName: "payments",
    ouPath: "/Prod",
    tenant: "emea",
    rows: Array.from({ length: rows }, (_, i) => row(i)),
    instancesWithoutAgent: [],
    findingCounts: {
      total: rows,
      coverage: rows,
      active: rows,
      suppressed: 0,
      closed: 0,
      otherTypes: 0,
      otherResources: 0,
    },
    evaluatedAt: "2026-11-25T12:00:00.000Z",
  };
}

describe("DynamoRunStore", () => {
  it("creates, updates and lists runs newest first, refusing to create a run twice", async () => {
    const store = new DynamoRunStore(env.client, env.names.runs);
    await store.createRun(run("run-a", "2026-11-18T12:00:00Z"));
    await store.createRun(run("run-b", "2026-11-25T12:00:00Z"));
    await expect(store.createRun(run("run-a", "2026-11-18T12:00:00Z"))).rejects.toMatchObject({
      code: ERROR_CODES.STORE_FAILED,
    });
    await store.updateRun({ ...run("run-a", "2026-11-18T12:00:00Z"), status: "succeeded" });
    expect((await store.getRun("run-a"))?.status).toBe("succeeded");
    expect((await store.listRuns(5)).map((r) => r.runId)).toEqual(["run-b", "run-a"]);
    expect(await store.getRun("run-zzz")).toBeUndefined();
  });

  it("keeps account records, watermarks, organization and instances", async () => {
    const store = new DynamoRunStore(env.client, env.names.runs);
    const record = {
      runId: "run-a",
      accountId: "333333333333",
      accountName: "p",
      ouPath: "/",
      status: "collected" as const,
      tenant: "emea",
      tenantSource: "organizational-unit" as const,
      tenantReason: "OU",
      findingsRead: 3,
      findingsWritten: 3,
      inspectorCalls: 1,
    };
    await store.putAccountRun(record);
    await store.putAccountRun({ ...record, accountId: "444444444444" });
    expect((await store.listAccountRuns("run-a")).map((r) => r.accountId)).toEqual(["333333333333", "444444444444"]);
    await store.setWatermark({
      accountId: "333333333333",
      region: "us-east-1",
      collectedFrom: "2026-11-25T12:00:00Z",
      runId: "run-a",
    });
    expect((await store.getWatermark("333333333333", "us-east-1"))?.collectedFrom).toBe("2026-11-25T12:00:00Z");
    expect(await store.getWatermark("333333333333", "eu-west-1")).toBeUndefined();
    await store.putOrganization("run-a", {
      accounts: [],
      organizationalUnits: [{ id: "ou-x", name: "X", parentId: "r-1" }],
    });
    expect((await store.getOrganization("run-a"))?.organizationalUnits).toHaveLength(1);
    await store.putInstances("run-a", "333333333333", [
      { accountId: "333333333333", region: "us-east-1", instanceId: "i-1" },
    ]);
    expect(await store.getInstances("run-a", "333333333333")).toHaveLength(1);
    expect(await store.getInstances("run-a", "999999999999")).toEqual([]);
  });

  it("round-trips a 30,000-row coverage through parts, and a shorter rewrite leaves no stale part", async () => {
    const store = new DynamoRunStore(env.client, env.names.runs);
    const big = coverage("run-b", 30_000);
    const inputs = {
      findingsVersion: "v1",
      context: "c1",
      keys: { vulnerabilityIds: ["CVE-2024-1"], instanceIds: ["i-1"] },
    };
    await store.putCoverage(big, inputs);
    expect(await store.getCoverage("run-b", "333333333333")).toEqual(big);
    expect(await store.latestCoverage("333333333333")).toMatchObject({
      runId: "run-b",
      inputs,
      content: coverageContent(big),
      counts: { rows: 30_000 },
    });
    const small = coverage("run-b", 10);
    await store.putCoverage(small, inputs);
    expect(await store.getCoverage("run-b", "333333333333")).toEqual(small);
    expect(await store.listCoverageAccounts("run-b")).toEqual(["333333333333"]);
  });

  it("stamps an account whose keys pass DynamoDB's 400 KB item limit (an L account) and reads them back", async () => {
    const store = new DynamoRunStore(env.client, env.names.runs);
    const keys = {
      vulnerabilityIds: Array.from({ length: 8_000 }, (_, i) => `CVE-2024-${String(10_000 + i)}`),
      instanceIds: Array.from({ length: 20_000 }, (_, i) => `i-0${i.toString(16).padStart(16, "0")}`),
    };
    expect(JSON.stringify(keys).length).toBeGreaterThan(400_000);
    const inputs = { findingsVersion: "v9", context: "c9", keys };
    await store.putCoverage({ ...coverage("run-k", 10), accountId: "555555555555" }, inputs);
    expect(await store.latestCoverage("555555555555")).toMatchObject({ runId: "run-k", inputs });
  });

  it("links an unchanged account's coverage to the run that computed it instead of copying it", async () => {
    const store = new DynamoRunStore(env.client, env.names.runs);
    const stamp = (await store.latestCoverage("333333333333"))!;
    await store.linkCoverage("run-z", "333333333333", stamp);
    const linked = await store.getCoverage("run-z", "333333333333");
    expect(linked?.runId).toBe("run-z");
    expect(linked?.rows).toEqual((await store.getCoverage("run-b", "333333333333"))?.rows);
    expect(await store.listCoverageAccounts("run-z")).toEqual(["333333333333"]);
    expect(await store.getCoverage("run-z", "444444444444")).toBeUndefined();
  });
});

const event = (n: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  eventId: `run-x#emea#${String(n).padStart(6, "0")}`,
  runId: "run-x",
  at: `2026-11-2${n}T12:00:00.000Z`,
  actor: "arn:aws:iam::222222222222:user/wshub-hub",
  mode: "apply",
  action: "applied",
  changeId: `run-x#emea#computer-1${n}`,
  tenant: "emea",
  accountId: "333333333333",
  region: "us-east-1",
  instanceId: `i-0a1000000000000${n}`,
  computerId: 10 + n,
  policyId: 2,
  targetKind: "computer",
  targetId: 10 + n,
  ruleIds: [102],
  ruleIdentifiers: ["1011002"],
  ruleNames: ["Nginx"],
  cves: ["CVE-2024-1002", "cve-2024-1003"],
  findingArns: ["arn:x"],
  answer: { status: 200, assignedRuleIds: [102] },
  ...overrides,
});

describe("DynamoAuditStore", () => {
  it("answers every auditor query from a key or an index, newest first, with inclusive time bounds", async () => {
    const store = new DynamoAuditStore(env.client, env.names.audit);
    await store.append([
      event(1),
      event(2),
      event(3, { accountId: "444444444444", tenant: "global", ruleIdentifiers: ["1011005"], cves: ["CVE-2024-1005"] }),
    ]);
    const ids = (events: AuditEvent[]) => events.map((e) => e.eventId.slice(-1));
    expect(ids(await store.query({ runId: "run-x" }))).toEqual(["3", "2", "1"]);
    expect(ids(await store.query({ accountId: "333333333333" }))).toEqual(["2", "1"]);
    expect(ids(await store.query({ accountId: "333333333333", since: "2026-11-22T12:00:00.000Z" }))).toEqual(["2"]);
    expect(ids(await store.query({ accountId: "333333333333", until: "2026-11-21T12:00:00.000Z" }))).toEqual(["1"]);
    expect(ids(await store.query({ tenant: "global" }))).toEqual(["3"]);
    expect(ids(await store.query({ instanceId: "i-0a10000000000002" }))).toEqual(["2"]);
    expect(ids(await store.query({ cve: "CVE-2024-1003" }))).toEqual(["2", "1"]);
    expect(ids(await store.query({ ruleIdentifier: "1011005" }))).toEqual(["3"]);
    expect(ids(await store.query({ runId: "run-x", limit: 1 }))).toEqual(["3"]);
    await expect(store.query({})).rejects.toThrow(/exactly one/);
  });

  it("refuses to overwrite an existing audit item and keeps the original", async () => {
    const store = new DynamoAuditStore(env.client, env.names.audit);
    await store.append([event(5)]);
    await expect(store.append([event(5, { action: "failed", reason: "tampered" })])).rejects.toMatchObject({
      code: ERROR_CODES.AUDIT_ITEM_EXISTS,
    });
    const [stored] = await store.query({ instanceId: "i-0a10000000000005" });
    expect(stored?.action).toBe("applied");
    expect(stored?.reason).toBeUndefined();
  });
});

describe("coverage codec", () => {
  it("stores coverage at a fraction of its plain size and gives back exactly the same rows", async () => {
    const { encodeCoverage, decodeCoverage } = await import("../src/index.js");
    const plain = coverage("run-c", 2_000);
    const compact = encodeCoverage(plain);
    expect(decodeCoverage(JSON.parse(JSON.stringify(compact)))).toEqual(plain);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(plain).length * 0.6);
  });
});
