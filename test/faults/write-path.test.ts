/**
 * The write path's promises, each shown the way a user meets it: the CLI in its own process against the sandbox,
 * interrupted, killed and run twice at once. docs/reliability.md lists these cases and what each promises.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { ERROR_CODES, RUN_LEASE, type AssignmentTarget, type AuditEvent, type HubConfigInput } from "@wshub/core";
import { runHub } from "@wshub/hub";
import { ensureTables } from "@wshub/runtime";
import { WorkloadSecurityHttp, WorkloadSecurityTenant } from "@wshub/workload-security";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFile, eventually, startWshub, wshub } from "../src/cli.js";
import { startWorld, type HubUnderTest, type World } from "../src/harness.js";

const ALLOW = { accounts: ["333333333333", "444444444444"] };
const ADD = "addIntrusionPreventionRuleIDsToComputer";
/** Short leases, so a killed holder's lease lapses within the test. */
const LEASE_SECONDS = 10;
/** How long after its intents are in the trail the killed run's calls are given to leave the process. */
const CALLS_LEAVE_MS = 500;

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());
afterEach(() => world.sandbox.faults.set({}));

interface Isolated {
  hub: HubUnderTest;
  file: string;
}

/** A hub with its own tables (runs, audit, leases) and its configuration file; the sandbox is shared. */
async function isolated(name: string, changes: (config: HubConfigInput) => void = () => {}): Promise<Isolated> {
  const apply = (c: HubConfigInput) => {
    c.hub = { ...c.hub, leaseSeconds: LEASE_SECONDS };
    c.store = { findingsTable: `${name}-findings`, runsTable: `${name}-runs`, auditTable: `${name}-audit` };
    c.reports = { ...c.reports, outputDir: join(world.outputDir, name) };
    changes(c);
  };
  const hub = await world.hub(apply);
  await ensureTables(hub);
  return { hub, file: configFile(world, name, apply) };
}

const applyMode = (c: HubConfigInput) => (c.assignment = { mode: "apply", target: "computer", allow: ALLOW });
const offMode = (c: HubConfigInput) => (c.assignment = { mode: "off", target: "computer", allow: ALLOW });

function addCalls(): number {
  return world.sandbox.counter.snapshot()["workload-security"]?.byOperation[ADD] ?? 0;
}

const emea = () =>
  new WorkloadSecurityTenant(
    new WorkloadSecurityHttp({
      tenant: "emea",
      baseUrl: world.sandbox.info.workloadSecurity.url,
      apiKey: world.scenario.workloadSecurity.tenants.find((t) => t.name === "emea")!.apiKey,
    }),
  );
const TARGETS: AssignmentTarget[] = [
  { kind: "computer", id: 10 },
  { kind: "computer", id: 11 },
];
const assignments = () => Promise.all(TARGETS.map((target) => emea().directRuleIds(target)));

/** Slow every account's Inspector reads, so a run is still collecting when the test acts on it. */
function slowCollection(latencyMs: number): void {
  const accounts = world.scenario.organization.accounts.map((a) => a.id);
  world.sandbox.faults.set({
    inspector2: Object.fromEntries(accounts.map((id) => [id, { latencyMs, operations: ["ListFindings"] }])),
  });
}

/** `wshub run` in its own process, caught while it collects (slowly), with the run id its lease names. */
async function collectingRun(t: Isolated) {
  slowCollection(3_000);
  const run = startWshub(world, ["run", "--config", t.file]);
  await eventually(async () => (run.stderr().includes("stage: collect") ? true : undefined));
  const runId = await eventually(async () => (await t.hub.leases.get(RUN_LEASE))?.holder.runId);
  return { run, runId };
}

const json = <T>(text: string): T => JSON.parse(text) as T;
const latestRunId = async (hub: HubUnderTest) => (await hub.runs.listRuns(1))[0]?.runId ?? "";
const outcomesOf = (events: AuditEvent[]) => events.filter((e) => e.intentId !== undefined);

describe("the write path under faults", () => {
  it("plan, then apply (the documented flow): both in the trail with unique ids, and rollback undoes the apply", async () => {
    const t = await isolated("plan-apply", offMode);
    const before = await assignments();
    expect((await wshub(world, ["run", "--config", t.file])).code).toBe(0);
    const runId = await latestRunId(t.hub);
    const plan = await wshub(world, ["assign", "--plan", "--config", t.file, "--json"]);
    expect([plan.code, json<{ calls: number }>(plan.stdout).calls]).toEqual([0, 0]);
    const apply = await wshub(world, ["assign", "--apply", "--config", t.file, "--json"]);
    expect([apply.code, json<{ calls: number }>(apply.stdout).calls]).toEqual([0, 2]);

    const trail = await t.hub.audit.query({ runId });
    expect(trail.map((e) => e.action).sort()).toEqual(["applied", "applied", "intent", "intent", "planned", "planned"]);
    expect(new Set(trail.map((e) => e.eventId)).size).toBe(trail.length);
    const intents = trail.filter((e) => e.action === "intent");
    for (const applied of trail.filter((e) => e.action === "applied")) {
      const intent = intents.find((i) => i.eventId === applied.intentId);
      expect(intent?.instanceId).toBe(applied.instanceId);
      expect(intent!.at <= applied.at).toBe(true);
    }

    const rollback = await wshub(world, ["rollback", "--run", runId, "--config", t.file]);
    expect(rollback.code).toBe(0);
    expect(await assignments()).toEqual(before);
  });

  it("one run at a time: a second run is refused with exit 11 naming the holder, and nothing is done or mailed twice", async () => {
    const t = await isolated("lock", applyMode);
    const before = { calls: addCalls(), mails: world.sandbox.aws.outbox().length };
    slowCollection(8_000);
    const first = startWshub(world, ["run", "--config", t.file]);
    const holder = await eventually(async () => (await t.hub.leases.get(RUN_LEASE))?.holder.runId);
    const second = await wshub(world, ["run", "--config", t.file]);
    expect(second.code).toBe(11);
    expect(second.stderr).toContain(ERROR_CODES.LEASE_HELD);
    expect(second.stderr).toContain(holder);
    expect((await first.done).code).toBe(0);

    expect(addCalls() - before.calls).toBe(2);
    const applied = (await t.hub.audit.query({ runId: holder })).filter((e) => e.action === "applied");
    expect(applied).toHaveLength(2);
    const mails = world.sandbox.aws.outbox().slice(before.mails);
    expect(mails.filter((m) => m.raw.toString().includes("pay-sec@example.com"))).toHaveLength(1);
    expect(await t.hub.runs.listRuns(5)).toHaveLength(1);
    expect((await wshub(world, ["rollback", "--run", holder, "--config", t.file])).code).toBe(0);
  });

  it("kill -9 during assignment: the intents are in the trail before the calls; the run shows abandoned; reconcile records what landed and rollback undoes it", async () => {
    const t = await isolated("crash", applyMode);
    const before = await assignments();
    world.sandbox.faults.set({ workloadSecurity: { emea: { latencyMs: 3_000, operations: [ADD] } } });
    const run = startWshub(world, ["run", "--config", t.file]);
    const intents = await eventually(async () => {
      const found = (await t.hub.audit.query({ tenant: "emea" })).filter((e) => e.action === "intent");
      return found.length === 2 ? found : undefined;
    });
    // Time for the calls to leave once their intents are written: the sandbox holds them 3 s, so the kill still
    // lands while they are in flight, before any outcome.
    await new Promise((resolve) => setTimeout(resolve, CALLS_LEAVE_MS));
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    const runId = intents[0]!.runId;
    expect(outcomesOf(await t.hub.audit.query({ runId }))).toEqual([]);

    // The calls were in flight: the sandbox completes them after its latency, as a real server would.
    await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 1) * 1000));
    const runs = json<{ runId: string; status: string }[]>(
      (await wshub(world, ["runs", "--config", t.file, "--json"])).stdout,
    );
    expect(runs.find((r) => r.runId === runId)?.status).toBe("abandoned");

    const reconcile = await wshub(world, ["assign", "--reconcile", "--config", t.file]);
    expect(reconcile.code).toBe(0);
    const live = await assignments();
    const outcomes = outcomesOf(await t.hub.audit.query({ runId }));
    expect(outcomes.map((e) => e.intentId).sort()).toEqual(intents.map((e) => e.eventId).sort());
    for (const outcome of outcomes) {
      const index = TARGETS.findIndex((target) => target.id === outcome.targetId);
      expect(outcome.reconciled).toBe(true);
      expect(outcome.action).toBe(live[index]!.includes(102) ? "applied" : "failed");
    }
    // A kill before a call left lands nothing, and rollback then has nothing to undo (7, not found).
    const landed = outcomes.some((outcome) => outcome.action === "applied");
    expect((await wshub(world, ["rollback", "--run", runId, "--config", t.file])).code).toBe(landed ? 0 : 7);
    expect(await assignments()).toEqual(before);
  });

  it("SIGTERM during collection: the run is recorded as interrupted, its lease released, and report --run refuses it (exit 12)", async () => {
    const t = await isolated("sigterm", offMode);
    const { run, runId } = await collectingRun(t);
    run.child.kill("SIGTERM");
    expect((await run.done).code).toBe(143);
    const record = await t.hub.runs.getRun(runId);
    expect(record?.status).toBe("interrupted");
    expect(record?.errors.map((e) => e.code)).toContain(ERROR_CODES.RUN_INTERRUPTED);
    expect(await t.hub.leases.get(RUN_LEASE)).toBeUndefined();
    const report = await wshub(world, ["report", "--run", runId, "--config", t.file]);
    expect(report.code).toBe(12);
    expect(report.stderr).toContain("interrupted");
  });

  it("kill -9 during collection: once its lease lapses the next run takes over and records the dead one as abandoned", async () => {
    const t = await isolated("killed", offMode);
    const { run, runId: dead } = await collectingRun(t);
    run.child.kill("SIGKILL");
    await run.done;
    world.sandbox.faults.set({});
    await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 1) * 1000));
    const next = await runHub(t.hub);
    expect(next.run.status).toBe("partial");
    const record = await t.hub.runs.getRun(dead);
    expect(record?.status).toBe("abandoned");
    expect(record?.errors.find((e) => e.code === ERROR_CODES.RUN_ABANDONED)?.message).toContain(next.run.runId);
  });

  it("writes .eml copies whenever reports.writeEml is on, and does not mail an unchanged roll-up again in the same week", async () => {
    const t = await isolated("mail", offMode);
    const central = () =>
      world.sandbox.aws.outbox().filter((m) => m.raw.toString().includes("central-security@example.com")).length;
    const before = central();
    expect((await wshub(world, ["run", "--config", t.file])).code).toBe(0);
    const emails = await readdir(join(world.outputDir, "mail", "emails"));
    expect(emails).toEqual(expect.arrayContaining(["organization.eml", "account-333333333333.eml"]));
    expect((await wshub(world, ["run", "--config", t.file])).code).toBe(0);
    expect(central() - before).toBe(1);
    const second = await latestRunId(t.hub);
    expect((await t.hub.runs.listAccountRuns(second)).find((a) => a.accountId === "333333333333")?.email?.status).toBe(
      "unchanged",
    );
  });
});
