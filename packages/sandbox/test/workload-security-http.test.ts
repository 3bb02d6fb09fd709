import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultPlan } from "../src/control/faults.js";
import { CallCounter } from "../src/control/stats.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";
import type { ScenarioTenant } from "../src/scenario/types.js";
import {
  hostVulnerabilitiesOf,
  startWorkloadSecuritySimulator,
  type WorkloadSecuritySimulator,
} from "../src/workload-security/index.js";

const BIG_COMPUTERS = 2345;
const BIG_RULES = 1200;

/** A tenant with more objects than one page holds; IDs have gaps so paging cannot count on them. */
function bigTenant(): ScenarioTenant {
  return {
    name: "big",
    region: "us-east-1",
    apiKey: "sandbox-key-big",
    ipsRules: Array.from({ length: BIG_RULES }, (_, i) => ({
      id: 1000 + i * 3,
      identifier: String(1_100_000 + i),
      name: `Rule ${i}`,
      cves: [`CVE-2025-${String(i).padStart(4, "0")}`],
      detectOnly: false,
    })),
    policies: [{ id: 1, name: "Base", parentId: null, ipsState: "prevent", ipsRuleIds: [1000] }],
    computers: Array.from({ length: BIG_COMPUTERS }, (_, i) => ({
      id: 5 + i * 2,
      hostName: `host-${i}`,
      policyId: 1,
      ec2: {
        instanceId: `i-${String(i).padStart(17, "0")}`,
        accountId: "555555555555",
        region: "us-east-1",
        viaConnector: true,
      },
      agentStatus: "active",
      ipsState: "inherited",
      ipsRuleIds: [],
      antiMalwareState: "inherited",
      integrityMonitoringState: "inherited",
    })),
  };
}

const scenario = loadScenarioFile(builtInScenarioPath("example-small"));
const keyOf = (name: string) =>
  [...scenario.workloadSecurity.tenants, bigTenant()].find((t) => t.name === name)!.apiKey;

let simulator: WorkloadSecuritySimulator;
const counter = new CallCounter();
const faults = new FaultPlan(7);
let clock = Date.parse("2026-11-25T10:00:00Z");

beforeAll(async () => {
  simulator = await startWorkloadSecuritySimulator({
    tenants: [...scenario.workloadSecurity.tenants, bigTenant()],
    hostVulnerabilities: hostVulnerabilitiesOf(scenario.findings),
    counter,
    faults,
    now: () => clock,
  });
});

afterAll(async () => {
  await simulator.stop();
});

beforeEach(() => {
  faults.set({});
  counter.reset();
});

interface Call {
  tenant?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

async function call(
  method: string,
  path: string,
  options: Call = {},
): Promise<{ status: number; body: Record<string, unknown>; contentType: string | null }> {
  const headers: Record<string, string> = {
    "api-version": "v1",
    Authorization: `ApiKey ${keyOf(options.tenant ?? "emea")}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    contentType: response.headers.get("content-type"),
  };
}

const ids = (list: unknown) => (list as { ID: number }[]).map((o) => o.ID);

describe("authentication and headers", () => {
  it("answers 401 with a message on a wrong or missing key, counted as unauthenticated", async () => {
    const wrong = await call("GET", "/computers", { headers: { Authorization: "ApiKey not-a-key" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body["message"]).toEqual(expect.any(String));
    expect(wrong.contentType).toContain("application/json");
    const missing = await fetch(`${simulator.url}/computers`, { headers: { "api-version": "v1" } });
    expect(missing.status).toBe(401);
    expect(counter.snapshot()["workload-security"]?.bySubjectOperation["(unauthenticated)"]).toEqual({
      listComputers: 2,
    });
  });

  it("answers 400 without api-version or with a value other than v1", async () => {
    const without = await fetch(`${simulator.url}/computers`, {
      headers: { Authorization: `ApiKey ${keyOf("emea")}` },
    });
    expect(without.status).toBe(400);
    expect(((await without.json()) as { message: string }).message).toContain("api-version");
    expect((await call("GET", "/computers", { headers: { "api-version": "v2" } })).status).toBe(400);
  });

  it("accepts the legacy api-secret-key header, and the key selects the tenant", async () => {
    const emea = await call("GET", "/computers?expand=none", {
      headers: { Authorization: "", "api-secret-key": keyOf("emea") },
    });
    expect(ids(emea.body["computers"])).toEqual([10, 11]);
    const global = await call("GET", "/computers?expand=none", { tenant: "global" });
    expect(ids(global.body["computers"])).toEqual([20, 21, 22]);
  });

  it("returns the current API key without its secret", async () => {
    const key = await call("GET", "/apikeys/current", { tenant: "global" });
    expect(key.status).toBe(200);
    expect(key.body).toMatchObject({ active: true, keyName: expect.stringContaining("global") });
    expect(key.body).not.toHaveProperty("secretKey");
    expect(JSON.stringify(key.body)).not.toContain(keyOf("global"));
  });

  it("answers 404 with the spec's wording for unknown objects, and 400 on a malformed body", async () => {
    expect((await call("GET", "/computers/999")).body).toEqual({ message: "The computer does not exist." });
    expect((await call("GET", "/policies/999")).body).toEqual({ message: "The policy does not exist." });
    expect((await call("GET", "/intrusionpreventionrules/999")).body).toEqual({
      message: "The intrusion prevention rule does not exist.",
    });
    expect((await call("GET", "/scheduledtasks/999")).status).toBe(404);
    const response = await fetch(`${simulator.url}/computers/search`, {
      method: "POST",
      headers: { "api-version": "v1", Authorization: `ApiKey ${keyOf("emea")}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(counter.snapshot()["workload-security"]?.bySubjectOperation["emea"]?.["searchComputers"]).toBe(1);
  });
});

describe("effective rules and state on example-small", () => {
  it("computer 10 of emea has rules 101, 104 (policy 1) and 103 (its own), state prevent via policy 2 → 1", async () => {
    const computer = await call("GET", "/computers/10?expand=intrusionPrevention");
    expect(computer.body["intrusionPrevention"]).toMatchObject({ state: "prevent", ruleIDs: [101, 103, 104] });
    expect(computer.body).not.toHaveProperty("ec2VirtualMachineSummary");
    const own = await call("GET", "/computers/10?expand=intrusionPrevention&overrides=true");
    expect(own.body["intrusionPrevention"]).toMatchObject({ ruleIDs: [103] });
    expect(own.body["intrusionPrevention"]).not.toHaveProperty("state");
    const rules = await call("GET", "/computers/10/intrusionprevention/rules");
    expect(ids(rules.body["intrusionPreventionRules"])).toEqual([101, 103, 104]);
    expect((await call("GET", "/computers/10/intrusionprevention/rules/103")).body).toMatchObject({
      ID: 103,
      CVE: ["CVE-2024-1004"],
      CVSSScore: "3.10",
      detectOnly: true,
    });
    expect((await call("GET", "/computers/10/intrusionprevention/rules/102")).status).toBe(404);
  });

  it("computer 20 of global is detect (its policy 6), 22 has only a no-connector summary", async () => {
    const computers = await call("GET", "/computers", { tenant: "global" });
    const [c20, , c22] = computers.body["computers"] as Record<string, Record<string, unknown>>[];
    expect(c20?.["intrusionPrevention"]).toMatchObject({ state: "detect", ruleIDs: [201] });
    expect(c20?.["ec2VirtualMachineSummary"]).toMatchObject({
      instanceID: "i-0b10000000000001",
      accountID: "444444444444",
      cloudProvider: "AWS",
    });
    expect(c22).not.toHaveProperty("ec2VirtualMachineSummary");
    expect(c22?.["noConnectorVirtualMachineSummary"]).toEqual({
      instanceID: "i-0b30000000000003",
      accountID: "444444444444",
      region: "us-east-1",
    });
    const byInstance = await call("POST", "/computers/search?expand=none", {
      tenant: "global",
      body: {
        searchCriteria: [
          {
            fieldName: "noConnectorVirtualMachineSummary/instanceID",
            stringTest: "equal",
            stringValue: "i-0b30000000000003",
          },
        ],
      },
    });
    expect(ids(byInstance.body["computers"])).toEqual([22]);
  });

  it("keeps the scenario's CVE spelling and searches CVE lists element by element", async () => {
    const found = await call("POST", "/intrusionpreventionrules/search", {
      body: { searchCriteria: { fieldName: "CVE", stringValue: "% cve-2024-1003" } },
    });
    expect(found.body["intrusionPreventionRules"]).toMatchObject([
      { ID: 102, CVE: ["CVE-2024-1002", " cve-2024-1003"] },
    ]);
  });
});

describe("search over a tenant with more objects than a page", () => {
  it("pages computers by ID with maxItems until a short page", async () => {
    const seen: number[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const page = await call("POST", "/computers/search?expand=none", {
        tenant: "big",
        body: { maxItems: 1000, searchCriteria: [{ idValue: cursor, idTest: "greater-than" }], sortByObjectID: true },
      });
      pages++;
      const pageIds = ids(page.body["computers"]);
      seen.push(...pageIds);
      if (pageIds.length < 1000) break;
      cursor = pageIds[pageIds.length - 1]!;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(BIG_COMPUTERS);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(BIG_COMPUTERS);
  });

  it("pages IPS rules with maxItems 5000 and the string form of sortByObjectID; ascending ID also without it", async () => {
    const all = await call("POST", "/intrusionpreventionrules/search", {
      tenant: "big",
      body: { maxItems: 5000, searchCriteria: [{ idValue: 0, idTest: "greater-than" }], sortByObjectID: "true" },
    });
    expect(ids(all.body["intrusionPreventionRules"])).toHaveLength(BIG_RULES);
    const second = await call("POST", "/intrusionpreventionrules/search", {
      tenant: "big",
      body: { maxItems: 500, searchCriteria: [{ idValue: 1000 + 499 * 3, idTest: "greater-than" }] },
    });
    const secondIds = ids(second.body["intrusionPreventionRules"]);
    expect(secondIds).toHaveLength(500);
    expect(secondIds[0]).toBe(1000 + 500 * 3);
    expect(secondIds).toEqual([...secondIds].sort((a, b) => a - b));
  });

  it("rejects maxItems above 5000 with a message", async () => {
    const response = await call("POST", "/computers/search", { tenant: "big", body: { maxItems: 5001 } });
    expect(response.status).toBe(400);
    expect(response.body["message"]).toContain("5000");
    expect(
      (await call("POST", "/computers/search", { body: { searchCriteria: [{ fieldName: "nope", stringValue: "x" }] } }))
        .status,
    ).toBe(400);
    const version = await call("POST", "/computers/search", {
      body: { searchCriteria: [{ fieldName: "agentVersion", versionTest: "greater-than", versionValue: "20.0" }] },
    });
    expect(version.status).toBe(400);
    expect(version.body["message"]).toBe('The field "agentVersion" is not searchable as Version.');
  });
});

describe("assignments over HTTP", () => {
  it("a rule added to a policy shows on every computer below it at once; PUT and DELETE change the direct set", async () => {
    const added = await call("POST", "/policies/1/intrusionprevention/assignments?overrides=true", {
      body: { ruleIDs: [102] },
    });
    expect(added.body).toMatchObject({ assignedRuleIDs: [101, 102, 104], recommendationScanStatus: "none" });
    for (const computerId of [10, 11]) {
      const assignments = await call("GET", `/computers/${computerId}/intrusionprevention/assignments`);
      expect(assignments.body["assignedRuleIDs"]).toContain(102);
    }
    const search = await call("POST", "/computers/search?expand=intrusionPrevention", {
      body: { searchCriteria: [{ idValue: 10 }] },
    });
    expect(
      (search.body["computers"] as { intrusionPrevention: { ruleIDs: number[] } }[])[0]?.intrusionPrevention.ruleIDs,
    ).toEqual([101, 102, 103, 104]);

    const set = await call("PUT", "/computers/10/intrusionprevention/assignments?overrides=true", {
      body: { ruleIDs: [103, 102] },
    });
    expect(set.body["assignedRuleIDs"]).toEqual([102, 103]);
    const removed = await call("DELETE", "/policies/1/intrusionprevention/assignments/102");
    expect(removed.body["assignedRuleIDs"]).toEqual([101, 104]);
    expect((await call("GET", "/computers/11/intrusionprevention/assignments")).body["assignedRuleIDs"]).toEqual([
      101, 104,
    ]);
    await call("PUT", "/computers/10/intrusionprevention/assignments", { body: { ruleIDs: [103] } });
  });

  it("rejects unknown rule IDs (naming them) and a bare number, assigning nothing", async () => {
    const unknown = await call("POST", "/computers/11/intrusionprevention/assignments", {
      body: { ruleIDs: [102, 9001] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body["message"]).toContain("9001");
    const bare = await call("POST", "/computers/11/intrusionprevention/assignments", { body: { ruleIDs: 102 } });
    expect(bare.status).toBe(400);
    expect(
      (await call("GET", "/computers/11/intrusionprevention/assignments?overrides=true")).body["assignedRuleIDs"],
    ).toEqual([]);
  });

  it("modifies computers and policies partially, and the change reaches the effective state", async () => {
    const moved = await call("POST", "/computers/21?expand=intrusionPrevention", {
      tenant: "global",
      body: { policyID: 6, displayName: "app-2 (moved)" },
    });
    expect(moved.body).toMatchObject({
      policyID: 6,
      displayName: "app-2 (moved)",
      hostName: "app-2",
      intrusionPrevention: { state: "detect" },
    });
    const policy = await call("POST", "/policies/6", {
      tenant: "global",
      body: { intrusionPrevention: { state: "inherited" } },
    });
    expect(policy.body["intrusionPrevention"]).toMatchObject({ state: "prevent" });
    expect(
      ((await call("GET", "/computers/20", { tenant: "global" })).body["intrusionPrevention"] as { state: string })
        .state,
    ).toBe("prevent");
    expect((await call("POST", "/computers/21", { tenant: "global", body: { policyID: 77 } })).status).toBe(400);
    await call("POST", "/policies/6", { tenant: "global", body: { intrusionPrevention: { state: "detect" } } });
    await call("POST", "/computers/21", { tenant: "global", body: { policyID: 5, displayName: "" } });
  });
});

describe("scheduled tasks", () => {
  const scan = (
    type: string,
    computerFilter: Record<string, unknown>,
    schedule: Record<string, unknown> = { recurrenceType: "none" },
  ) => ({
    name: `scan ${type}`,
    type,
    runNow: true,
    scheduleDetails: schedule,
    [type === "scan-for-recommendations"
      ? "scanForRecommendationsTaskParameters"
      : "scanForIntegrityChangesTaskParameters"]: { computerFilter },
  });

  it("a run-now recommendation scan marks the targeted computers' assignments valid at that time (reachable agents only)", async () => {
    clock += 1000;
    const task = await call("POST", "/scheduledtasks", {
      tenant: "global",
      body: scan("scan-for-recommendations", { type: "computers-using-policy-or-subpolicy", policyID: 5 }),
    });
    expect(task.body).toMatchObject({ ID: expect.any(Number), lastRunTime: clock, type: "scan-for-recommendations" });
    for (const id of [20, 22])
      expect(
        (await call("GET", `/computers/${id}/intrusionprevention/assignments`, { tenant: "global" })).body,
      ).toMatchObject({ recommendationScanStatus: "valid", lastRecommendationScanDate: clock });
    // Computer 21's agent is inactive: the scan waits for it, nothing advances.
    expect(
      (await call("GET", "/computers/21/intrusionprevention/assignments", { tenant: "global" })).body,
    ).toMatchObject({ recommendationScanStatus: "none" });
    const listed = await call("GET", "/scheduledtasks", { tenant: "global" });
    expect(ids(listed.body["scheduledTasks"])).toContain(task.body["ID"]);
    expect((await call("DELETE", `/scheduledtasks/${String(task.body["ID"])}`, { tenant: "global" })).status).toBe(200);
    expect((await call("GET", `/scheduledtasks/${String(task.body["ID"])}`, { tenant: "global" })).status).toBe(404);
  });

  it("a recommendation scan recommends the rules whose CVEs are on the host and not in force, and unassigning the ones that apply to nothing there", async () => {
    const assignments = async (id: number) =>
      (await call("GET", `/computers/${id}/intrusionprevention/assignments`)).body;
    expect(await assignments(11)).toMatchObject({ recommendationScanStatus: "none", recommendedToAssignRuleIDs: [] });
    clock += 1000;
    await call("POST", "/scheduledtasks", { body: scan("scan-for-recommendations", { type: "all-computers" }) });
    // Computer 10 (i-0a1…): CVE-2024-1001 (101, from its policy), -1002 (102, missing), -1003 suppressed (102),
    // -1004 (103, on the computer), -1005 closed (not present). Rule 104 has no CVE and is never proposed.
    expect(await assignments(10)).toMatchObject({
      recommendationScanStatus: "valid",
      recommendedToAssignRuleIDs: [102],
      recommendedToUnassignRuleIDs: [],
    });
    // Computer 11 (i-0a2…): only CVE-2024-1003, which rule 102 covers (its catalog entry spells it " cve-2024-1003").
    expect(await assignments(11)).toMatchObject({
      recommendedToAssignRuleIDs: [102],
      recommendedToUnassignRuleIDs: [101],
    });
    await call("POST", "/computers/11/intrusionprevention/assignments", { body: { ruleIDs: [102] } });
    expect(await assignments(11)).toMatchObject({
      recommendedToAssignRuleIDs: [],
      recommendedToUnassignRuleIDs: [101],
    });
    await call("DELETE", "/computers/11/intrusionprevention/assignments/102");
    expect((await assignments(11))["recommendedToAssignRuleIDs"]).toEqual([102]);
  });

  it("an integrity scan sets lastIntegrityScan on the targeted computer only; a once-only task with recurrenceCount 1 is deleted after running", async () => {
    clock += 1000;
    const task = await call("POST", "/scheduledtasks", {
      body: scan(
        "scan-for-integrity-changes",
        { type: "computer", computerID: 11 },
        { recurrenceType: "none", recurrenceCount: 1 },
      ),
    });
    expect(task.status).toBe(200);
    const im = async (id: number) =>
      (
        (await call("GET", `/computers/${id}?expand=integrityMonitoring`)).body["integrityMonitoring"] as Record<
          string,
          unknown
        >
      )["lastIntegrityScan"];
    expect(await im(11)).toBe(clock);
    expect(await im(10)).toBeUndefined();
    expect((await call("GET", `/scheduledtasks/${String(task.body["ID"])}`)).status).toBe(404);
    const found = await call("POST", "/scheduledtasks/search", {
      body: { searchCriteria: [{ fieldName: "type", choiceValue: "scan-for-integrity-changes" }] },
    });
    expect(found.body["scheduledTasks"]).toEqual([]);
    expect(
      (
        await call("POST", "/scheduledtasks", {
          body: scan("scan-for-recommendations", { type: "computer", computerID: 999 }),
        })
      ).status,
    ).toBe(400);
  });
});

describe("faults", () => {
  it("answers 429 with the vendor's message after N calls a minute, counts it, and serves again a minute later", async () => {
    faults.set({ workloadSecurity: { emea: { maxCallsPerMinute: 5 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("GET", "/policies")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const throttled = await call("GET", "/policies");
    expect(throttled.body).toEqual({ message: "Too many API requests" });
    expect((await call("GET", "/policies", { tenant: "global" })).status).toBe(200);
    expect(counter.snapshot()["workload-security"]?.byStatus).toEqual({ "200": 6, "429": 3 });
    clock += 61_000;
    expect((await call("GET", "/policies")).status).toBe(200);
  });

  it("injects 5xx at its rate", async () => {
    faults.set({ workloadSecurity: { emea: { errorRate: 0.25, errorStatus: 503 } } }, 42);
    const calls = 400;
    let errors = 0;
    for (let i = 0; i < calls; i++) {
      const response = await call("GET", "/intrusionpreventionrules/101");
      if (response.status === 503) {
        errors++;
        expect(response.body["message"]).toEqual(expect.any(String));
      } else expect(response.status).toBe(200);
    }
    expect(errors / calls).toBeGreaterThan(0.18);
    expect(errors / calls).toBeLessThan(0.32);
    expect(counter.snapshot()["workload-security"]?.byStatus["503"]).toBe(errors);
  });

  it("delays calls by latencyMs, and only the targeted operations", async () => {
    faults.set({ workloadSecurity: { emea: { latencyMs: 150, operations: ["describePolicy"] } } });
    let start = performance.now();
    await call("GET", "/policies/1");
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    start = performance.now();
    await call("GET", "/policies");
    expect(performance.now() - start).toBeLessThan(140);
  });
});

describe("scans the signal workflows rely on", () => {
  const scanTask = (type: string, computerID: number) => ({
    name: `${type} ${computerID}`,
    type,
    runNow: true,
    scheduleDetails: { recurrenceType: "none", recurrenceCount: 1 },
    [type === "scan-for-recommendations"
      ? "scanForRecommendationsTaskParameters"
      : "scanForIntegrityChangesTaskParameters"]: { computerFilter: { type: "computer", computerID } },
  });
  const integrityScanOf = async (id: number) =>
    (
      (await call("GET", `/computers/${id}?expand=integrityMonitoring`)).body["integrityMonitoring"] as Record<
        string,
        unknown
      >
    )["lastIntegrityScan"];

  it("an integrity scan where integrity monitoring is off verifies nothing: lastIntegrityScan does not move", async () => {
    const computer = simulator.models.get("emea")?.computers.get(10);
    if (!computer) throw new Error("computer 10 of emea is missing");
    const before = await integrityScanOf(10);
    computer.integrityMonitoringState = "off";
    try {
      clock += 1000;
      expect((await call("POST", "/scheduledtasks", { body: scanTask("scan-for-integrity-changes", 10) })).status).toBe(
        200,
      );
      expect(await integrityScanOf(10)).toBe(before);
    } finally {
      computer.integrityMonitoringState = "inherited";
    }
    clock += 1000;
    await call("POST", "/scheduledtasks", { body: scanTask("scan-for-integrity-changes", 10) });
    expect(await integrityScanOf(10)).toBe(clock);
  });

  it("scan, read its result, assign, as the react use case does: five calls counted for the computer's tenant", async () => {
    clock += 1000;
    const found = await call(
      "POST",
      "/computers/search?expand=computerStatus&expand=intrusionPrevention&overrides=false",
      {
        body: {
          searchCriteria: [
            {
              fieldName: "ec2VirtualMachineSummary/instanceID",
              stringTest: "equal",
              stringValue: "i-0a10000000000001",
            },
          ],
        },
      },
    );
    expect(ids(found.body["computers"])).toEqual([10]);
    await call("POST", "/scheduledtasks", { body: scanTask("scan-for-recommendations", 10) });
    const result = (await call("GET", "/computers/10/intrusionprevention/assignments")).body;
    expect(result).toMatchObject({ lastRecommendationScanDate: clock });
    const toAssign = result["recommendedToAssignRuleIDs"] as number[];
    await call("POST", "/policies/2/intrusionprevention/assignments", { body: { ruleIDs: toAssign } });
    await call("POST", "/scheduledtasks", { body: scanTask("scan-for-integrity-changes", 10) });
    expect((await call("GET", "/computers/10/intrusionprevention/assignments")).body).toMatchObject({
      recommendedToAssignRuleIDs: [],
    });
    const emea = counter.snapshot()["workload-security"]?.bySubjectOperation["emea"] ?? {};
    expect(emea).toMatchObject({
      searchComputers: 1,
      createScheduledTask: 2,
      listIntrusionPreventionRuleIDsOnComputer: 2,
      addIntrusionPreventionRuleIDsToPolicy: 1,
    });
  });
});
