import { ERROR_CODES, type AssignmentTarget } from "@wshub/core";
import { rollbackRun, runHub } from "@wshub/hub";
import { WorkloadSecurityHttp, WorkloadSecurityTenant } from "@wshub/workload-security";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { expectedRows, project, projectCoverage } from "../src/expected.js";
import { exampleSmall, startWorld, type World } from "../src/harness.js";

const ADD_OPERATIONS = [
  "addIntrusionPreventionRuleIDsToComputer",
  "addIntrusionPreventionRuleIDsToPolicy",
  "setIntrusionPreventionRuleIDsOnComputer",
  "setIntrusionPreventionRuleIDsOnPolicy",
];
const ALLOW = { accounts: ["333333333333", "444444444444"] };

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

function assignmentCalls(w: World): number {
  const ops = w.sandbox.counter.snapshot()["workload-security"]?.byOperation ?? {};
  return ADD_OPERATIONS.reduce((sum, op) => sum + (ops[op] ?? 0), 0);
}

function tenantApi(w: World, tenant: string): WorkloadSecurityTenant {
  const apiKey = w.scenario.workloadSecurity.tenants.find((t) => t.name === tenant)!.apiKey;
  return new WorkloadSecurityTenant(
    new WorkloadSecurityHttp({ tenant, baseUrl: w.sandbox.info.workloadSecurity.url, apiKey }),
  );
}

const expectedAfterApply = () =>
  project(
    expectedRows().map((row) => (row["coverage"] === "rule-available" ? { ...row, coverage: "protected" } : row)),
  );

describe("assignment on example-small", () => {
  it("apply with target computer makes both rule-available rows protected on the next run and touches nothing else; a second apply sends nothing; rollback restores the earlier assignments", async () => {
    world = await startWorld();
    const emea = tenantApi(world, "emea");
    const global = tenantApi(world, "global");
    const targets: [WorkloadSecurityTenant, AssignmentTarget][] = [
      [emea, { kind: "computer", id: 10 }],
      [emea, { kind: "computer", id: 11 }],
      [emea, { kind: "policy", id: 1 }],
      [emea, { kind: "policy", id: 2 }],
      [global, { kind: "computer", id: 20 }],
      [global, { kind: "computer", id: 21 }],
      [global, { kind: "computer", id: 22 }],
      [global, { kind: "policy", id: 5 }],
      [global, { kind: "policy", id: 6 }],
    ];
    const snapshot = () => Promise.all(targets.map(([api, target]) => api.directRuleIds(target)));
    const before = await snapshot();

    const apply = await world.hub((c) => (c.assignment = { mode: "apply", target: "computer", allow: ALLOW }));
    const first = await runHub(apply);
    expect(first.assignment?.calls).toBe(2);
    expect(assignmentCalls(world)).toBe(2);
    expect(
      first.assignmentEvents
        .filter((e) => e.action === "applied")
        .map((e) => [e.instanceId, e.targetKind, e.targetId, e.ruleIdentifiers]),
    ).toEqual([
      ["i-0a10000000000001", "computer", 10, ["1011002"]],
      ["i-0a20000000000002", "computer", 11, ["1011002"]],
    ]);
    // The run's e-mail to the account carries the assignment report beside the coverage files.
    const mail = world.sandbox.aws.outbox().find((m) => m.raw.toString().includes("pay-sec@example.com"));
    const parsed = await simpleParser(mail!.raw);
    const assignments = parsed.attachments.find(
      (a) => a.filename?.startsWith("ips-assignments-") && a.filename.endsWith(".csv"),
    );
    expect(assignments?.content.toString()).toContain("1011002");
    const after = await snapshot();
    expect(after).toEqual(
      before.map((ids, i) => (i === 0 ? [...ids, 102].sort((a, b) => a - b) : i === 1 ? [...ids, 102] : ids)),
    );

    const check = await runHub(await world.hub());
    expect(projectCoverage(check.coverage.flatMap((c) => c.rows))).toEqual(expectedAfterApply());

    const again = await runHub(apply);
    expect(again.assignment?.calls).toBe(0);
    expect(assignmentCalls(world)).toBe(2);

    const rollback = await rollbackRun(apply, first.run.runId, "arn:aws:iam::222222222222:user/wshub-hub");
    // Each removal is written ahead: its intent, then the outcome naming that intent.
    expect(rollback.events.map((e) => e.action)).toEqual(["intent", "rolled-back", "intent", "rolled-back"]);
    expect(rollback.events.filter((e) => e.action === "rolled-back").map((e) => e.intentId)).toEqual(
      rollback.events.filter((e) => e.action === "intent").map((e) => e.eventId),
    );
    expect(await snapshot()).toEqual(before);
    const audit = await apply.audit.query({ cve: "CVE-2024-1002" });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["applied", "rolled-back"]));
  });

  it("with target policy, the plan names every other computer and account the policy change reaches, and changes nothing", async () => {
    world = await startWorld();
    const plan = await world.hub((c) => (c.assignment = { mode: "plan", target: "policy", allow: ALLOW }));
    const outcome = await runHub(plan);
    const changes = outcome.assignment!.plans.flatMap((p) => p.changes);
    expect(
      changes.map((c) => [c.target.kind, c.target.id, c.ruleIds, c.instances.map((i) => i.computerId), c.alsoAffects]),
    ).toEqual([
      // Base Policy 1 is the parent of policy 2: computer 10 (on policy 2) gains the rule too.
      ["policy", 1, [102], [11], { computerIds: [10], accountIds: ["333333333333"] }],
      ["policy", 2, [102], [10], { computerIds: [], accountIds: [] }],
    ]);
    expect(outcome.assignment?.calls).toBe(0);
    expect(assignmentCalls(world)).toBe(0);
    expect(outcome.assignmentEvents.every((e) => e.action === "planned" && e.mode === "plan")).toBe(true);
  });

  it("the guard rail stops an oversized run before any change", async () => {
    world = await startWorld();
    const hub = await world.hub(
      (c) => (c.assignment = { mode: "apply", target: "computer", allow: ALLOW, maxTargetsPerRun: 1 }),
    );
    const outcome = await runHub(hub);
    expect(outcome.assignment?.stopped?.code).toBe(ERROR_CODES.GUARD_RAIL_EXCEEDED);
    expect(assignmentCalls(world)).toBe(0);
    expect(outcome.run.errors.some((e) => e.code === ERROR_CODES.GUARD_RAIL_EXCEEDED)).toBe(true);
    const events = await hub.audit.query({ runId: outcome.run.runId });
    expect(events.every((e) => e.action === "skipped" && e.reason?.startsWith("guard rail"))).toBe(true);
  });

  it("a 5xx on one target records a failure with the API's answer and the other targets complete", async () => {
    const scenario = exampleSmall();
    const global = scenario.workloadSecurity.tenants.find((t) => t.name === "global")!;
    global.ipsRules.push({
      id: 203,
      identifier: "1011006",
      name: "Apache RCE (CVE-2024-1006)",
      cves: ["CVE-2024-1006"],
      detectOnly: false,
    });
    scenario.findings.push({
      ...scenario.findings.find((f) => f.resourceId === "i-0b10000000000001")!,
      vulnerabilityId: "CVE-2024-1006",
      title: "CVE-2024-1006 - httpd",
      findingArn: "arn:aws:inspector2:us-east-1:444444444444:finding/00000000000000000000000000001006",
    });
    world = await startWorld(scenario, {
      workloadSecurity: {
        emea: { errorRate: 1, errorStatus: 503, operations: ["addIntrusionPreventionRuleIDsToComputer"] },
      },
    });
    const hub = await world.hub((c) => (c.assignment = { mode: "apply", target: "computer", allow: ALLOW }));
    const outcome = await runHub(hub);
    const byAction = (action: string) => outcome.assignmentEvents.filter((e) => e.action === action);
    expect(byAction("failed").map((e) => [e.tenant, e.computerId, e.answer?.status])).toEqual([
      ["emea", 10, 503],
      ["emea", 11, 503],
    ]);
    expect(byAction("applied").map((e) => [e.tenant, e.computerId, e.ruleIds])).toEqual([["global", 20, [203]]]);
    expect(outcome.run.status).toBe("partial");
  });
});
