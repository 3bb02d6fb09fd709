import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { ERROR_CODES } from "@wshub/core";
import { runHub } from "@wshub/hub";
import { ensureTables } from "@wshub/runtime";
import { WorkloadSecurityHttp } from "@wshub/workload-security";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedRows, project, projectCoverage } from "../src/expected.js";
import { startWorld, type World } from "../src/harness.js";

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());

const inspectorCalls = () => world.sandbox.counter.snapshot()["inspector2"]?.total ?? 0;
const ec2Calls = () => world.sandbox.counter.snapshot()["ec2"]?.total ?? 0;

describe("wshub run on example-small", () => {
  it("member-role mode: the coverage rows are exactly example-small.expected.csv; 666666666666 is unreachable and the run goes on", async () => {
    const hub = await world.hub();
    const outcome = await runHub(hub);
    expect(projectCoverage(outcome.coverage.flatMap((c) => c.rows))).toEqual(project(expectedRows()));

    const accounts = await hub.runs.listAccountRuns(outcome.run.runId);
    const legacy = accounts.find((a) => a.accountId === "666666666666");
    expect(legacy).toMatchObject({ status: "unreachable", error: { code: ERROR_CODES.ACCOUNT_UNREACHABLE } });

    // The instance inventory comes from each account's own EC2, through its member role: its instances, no other's.
    const instances = await hub.runs.getInstances(outcome.run.runId, "444444444444");
    expect(instances.map((i) => [i.instanceId, i.state]).sort()).toEqual([
      ["i-0b10000000000001", "running"],
      ["i-0b20000000000002", "running"],
      ["i-0b30000000000003", "running"],
    ]);
    expect(accounts.find((a) => a.accountId === "555555555555")).toMatchObject({ tenant: null, status: "collected" });
    expect(outcome.run.status).toBe("partial");
    expect(outcome.run.errors.map((e) => e.subject)).toEqual(["666666666666"]);

    // The CSV written for an account carries the same rows.
    const folder = join(world.outputDir, outcome.run.runId);
    const csvName = (await readdir(folder)).find((f) => f.includes("333333333333") && f.endsWith(".csv")) as string;
    const csv = parse(await readFile(join(folder, csvName), "utf8"), { columns: true }) as Record<string, string>[];
    expect(project(csv)).toEqual(project(expectedRows().filter((r) => r["account_id"] === "333333333333")));
  });

  it("incremental: a second run asks Inspector only for what changed since the first and writes nothing", async () => {
    const hub = await world.hub();
    const before = { inspector: inspectorCalls(), ec2: ec2Calls() };
    const outcome = await runHub(hub);
    expect(outcome.run.findingsWritten).toBe(0);
    expect(projectCoverage(outcome.coverage.flatMap((c) => c.rows))).toEqual(project(expectedRows()));
    // Per reachable account (5 of them): one ListFindings page, empty or short, and one DescribeInstances page.
    expect(inspectorCalls() - before.inspector).toBe(5);
    expect(ec2Calls() - before.ec2).toBe(5);
  });

  it("agents heartbeat between runs and one account's computer changes: only that account is evaluated and mailed again", async () => {
    const hub = await world.hub();
    const previous = (await hub.runs.listRuns(1))[0]!.runId;
    expect(world.sandbox.workloadSecurity.advanceHeartbeats(15 * 60_000)).toBeGreaterThan(0);
    await new WorkloadSecurityHttp({
      tenant: "global",
      baseUrl: world.sandbox.info.workloadSecurity.url,
      apiKey: world.scenario.workloadSecurity.tenants.find((t) => t.name === "global")!.apiKey,
    }).request("POST", "/computers/20", { body: { displayName: "web-1 (renamed)" } });
    const outcome = await runHub(hub);
    const evaluatedBy = async (account: string) => (await hub.runs.latestCoverage(account))?.runId;
    expect(await evaluatedBy("444444444444")).toBe(outcome.run.runId);
    for (const account of ["333333333333", "555555555555"])
      expect(await evaluatedBy(account)).not.toBe(outcome.run.runId);
    const emails = new Map(
      (await hub.runs.listAccountRuns(outcome.run.runId)).map((a) => [a.accountId, a.email?.status]),
    );
    expect([emails.get("333333333333"), emails.get("444444444444")]).toEqual(["unchanged", "sent"]);
    expect(previous).not.toBe(outcome.run.runId);
  });

  it("delegated-administrator mode: the same rows, up to 10 accounts a call, and 666666666666 is readable", async () => {
    const hub = await world.hub((c) => {
      c.collection = { mode: "delegated-admin" };
      c.store = { findingsTable: "da-findings", runsTable: "da-runs", auditTable: "da-audit" };
    });
    await ensureTables(hub);
    const before = { inspector: inspectorCalls(), ec2: ec2Calls() };
    const outcome = await runHub(hub);
    expect(projectCoverage(outcome.coverage.flatMap((c) => c.rows))).toEqual(project(expectedRows()));
    expect(outcome.run.status).toBe("succeeded");
    // 6 accounts fit in one query: one ListFindings page (14 findings) and one ListCoverage page for the instances
    // (the administrator cannot read the members' EC2).
    expect(inspectorCalls() - before.inspector).toBe(2);
    expect(ec2Calls() - before.ec2).toBe(0);
    const instances = await hub.runs.getInstances(outcome.run.runId, "444444444444");
    expect(instances.map((i) => [i.instanceId, i.scanStatus]).sort()).toEqual([
      ["i-0b10000000000001", "ACTIVE"],
      ["i-0b20000000000002", "ACTIVE"],
      ["i-0b30000000000003", "ACTIVE"],
    ]);
  });

  it("a tenant with a wrong key is reported and the other tenant's accounts are still evaluated", async () => {
    const hub = await world.hub((c) => {
      c.tenants = (c.tenants ?? []).map((t) =>
        t.name === "emea" ? { ...t, apiKeySecret: "wshub/tenants/emea-wrong" } : t,
      );
    });
    const secrets = new SecretsManagerClient({
      region: world.sandbox.info.region,
      endpoint: world.sandbox.info.aws.endpoint,
      credentials: {
        accessKeyId: world.sandbox.info.aws.hub.accessKeyId,
        secretAccessKey: world.sandbox.info.aws.hub.secretAccessKey,
      },
    });
    await secrets.send(
      new CreateSecretCommand({
        Name: "wshub/tenants/emea-wrong",
        SecretString: JSON.stringify({ apiKey: "not-the-key" }),
      }),
    );
    const outcome = await runHub(hub);
    const accounts = await hub.runs.listAccountRuns(outcome.run.runId);
    expect(accounts.find((a) => a.accountId === "333333333333")).toMatchObject({
      status: "failed",
      error: { code: ERROR_CODES.TENANT_AUTH_FAILED },
    });
    expect(accounts.find((a) => a.accountId === "444444444444")?.counts?.rows).toBe(3);
    expect(JSON.stringify(outcome.run.errors)).not.toContain("not-the-key");
    expect(outcome.run.status).toBe("partial");
  });

  it("a 429 storm at Workload Security and throttling at Inspector are retried and the run completes", async () => {
    // Half of all calls are throttled: every tenant's, and every account's Inspector calls (one page or two each).
    // The fault plan's draws are seeded, so the storm is the same on every run.
    const throttled = { errorRate: 0.5, errorStatus: 429 };
    world.sandbox.faults.set(
      {
        workloadSecurity: { emea: throttled, global: throttled },
        inspector2: Object.fromEntries(world.scenario.organization.accounts.map((a) => [a.id, throttled])),
      },
      7,
    );
    try {
      const hub = await world.hub((c) => {
        c.store = { findingsTable: "storm-findings", runsTable: "storm-runs", auditTable: "storm-audit" };
      });
      await ensureTables(hub);
      const outcome = await runHub(hub);
      expect(projectCoverage(outcome.coverage.flatMap((c) => c.rows))).toEqual(project(expectedRows()));
      const stats = world.sandbox.counter.snapshot();
      expect(stats["workload-security"]?.byStatus["429"] ?? 0).toBeGreaterThan(0);
      expect(stats["inspector2"]?.byStatus["429"] ?? 0).toBeGreaterThan(0);
    } finally {
      world.sandbox.faults.set({});
    }
  });
  it("a rule published between runs: the kept catalog is refreshed by the rules modified since, not read again, and the CVE it covers is no longer no-rule", async () => {
    const hub = await world.hub();
    const previous = (await hub.runs.listRuns(1))[0]!.runId;
    const tenant = (await hub.runs.listAccountRuns(previous)).find((a) => a.accountId === "333333333333")!.tenant!;
    const kept = await hub.runs.getRuleCatalog(tenant);
    expect(kept?.rules.length).toBeGreaterThan(0);
    const at = "2026-12-04T09:00:00.000Z";
    const rule = {
      id: 990_001,
      identifier: "1019999",
      name: "CVE-2024-9999 rule",
      cves: ["CVE-2024-9999"],
      detectOnly: false,
    };
    world.sandbox.advance({ at, putRules: [{ tenant, ...rule }] });

    const outcome = await runHub(hub);
    const row = outcome.coverage
      .flatMap((c) => c.rows)
      .find((r) => r.accountId === "333333333333" && r.vulnerabilityId === "CVE-2024-9999");
    expect(row?.coverage).toBe("rule-available");
    const refreshed = await hub.runs.getRuleCatalog(tenant);
    // Not a full read (its stamp is the earlier one's), yet the new rule is in it, stamped as the vendor would.
    expect(refreshed?.stamp).toEqual({ lastUpdated: Date.parse(at), readAt: kept!.stamp.readAt });
    expect(refreshed?.rules.length).toBe(kept!.rules.length + 1);
  });
});
