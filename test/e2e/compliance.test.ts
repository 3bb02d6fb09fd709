import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from "@aws-sdk/client-config-service";
import { clientSettings, roleArnFor } from "@wshub/aws";
import {
  evaluateConfigInvocation,
  evaluateOrganizationCompliance,
  newFleetCache,
  planAccounts,
  runAccountSections,
  runSections,
  storedSections,
} from "@wshub/hub";
import { parseRuleParameters } from "@wshub/core";
import { buildInvocation, type InvocationRequest } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type HubUnderTest, type World } from "../src/harness.js";

const EMEA = "333333333333";
const GLOBAL = "444444444444";
const UNMAPPED = "555555555555";
const REGION = "us-east-1";

let world: World;
let hub: HubUnderTest;
beforeAll(async () => {
  world = await startWorld();
  hub = await world.hub();
});
afterAll(async () => {
  await world?.stop();
});

function invocation(request: Partial<InvocationRequest> & Pick<InvocationRequest, "ruleName" | "parameters">) {
  return buildInvocation(world.sandbox.aws.config, { kind: "change", accountId: EMEA, region: REGION, ...request });
}

/** What Config shows for a rule in an account, read through the member role like any Config client. */
async function compliance(accountId: string, ruleName: string): Promise<Record<string, string>> {
  const { memberRole } = world.sandbox.info.aws;
  const credentials = hub.clients.credentials.provider({
    roleArn: roleArnFor(accountId, memberRole.name),
    externalId: memberRole.externalId,
  });
  const client = new ConfigServiceClient(
    clientSettings("config", { region: REGION, endpoints: { aws: world.sandbox.info.aws.endpoint }, credentials }),
  );
  const answer = await client.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: ruleName }));
  return Object.fromEntries(
    (answer.EvaluationResults ?? []).map((r) => [
      r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? "",
      `${r.ComplianceType} ${r.Annotation ?? ""}`.trim(),
    ]),
  );
}

const wsCalls = (operation: string) =>
  world.sandbox.counter.snapshot()["workload-security"]?.byOperation[operation] ?? 0;

describe("AWS Config rules backed by Workload Security (change-triggered)", () => {
  const instances = ["i-0a10000000000001", "i-0a20000000000002", "i-0a30000000000003"];
  const cases = [
    {
      ruleName: "ws-agent-active",
      parameters: { rule: "ws-agent-active" },
      expected: ["COMPLIANT", "COMPLIANT", "NON_COMPLIANT"],
    },
    {
      ruleName: "ws-policy",
      parameters: { rule: "ws-policy", policies: ["EU Web Servers"] },
      expected: ["COMPLIANT", "NON_COMPLIANT", "NON_COMPLIANT"],
    },
    {
      ruleName: "ws-ips-prevent",
      parameters: { rule: "ws-module-on", module: "intrusionPrevention" },
      expected: ["COMPLIANT", "COMPLIANT", "NON_COMPLIANT"],
    },
    {
      ruleName: "ws-clear",
      parameters: { rule: "ws-clear-of-warnings" },
      expected: ["COMPLIANT", "NON_COMPLIANT", "NON_COMPLIANT"],
    },
  ];

  it.each(cases)(
    "$ruleName gives each prepared instance its compliance",
    async ({ ruleName, parameters, expected }) => {
      for (const instanceId of instances) {
        const result = await evaluateConfigInvocation(hub, invocation({ ruleName, parameters, instanceId }));
        expect(result.put.calls).toBe(1);
      }
      const shown = await compliance(EMEA, ruleName);
      expect(instances.map((id) => shown[id]?.split(" ")[0])).toEqual(expected);
    },
  );

  it("annotates with the vendor's words: policy names as stored, agent messages", async () => {
    const policy = await compliance(EMEA, "ws-policy");
    expect(policy["i-0a20000000000002"]).toBe("NON_COMPLIANT WS policy 'Base Policy' (expected: 'EU Web Servers')");
    const clear = await compliance(EMEA, "ws-clear");
    expect(clear["i-0a20000000000002"]).toMatch(/^NON_COMPLIANT WS: agent warning — Managed \(Online\) - warnings/);
    expect(clear["i-0a30000000000003"]).toMatch(/no Workload Security agent/);
  });

  it("an oversized item is read with GetResourceConfigHistory; a deleted instance is NOT_APPLICABLE", async () => {
    const ruleName = "ws-oversized";
    const parameters = { rule: "ws-agent-active" };
    const before = world.sandbox.counter.snapshot()["config"]?.byOperation["GetResourceConfigHistory"] ?? 0;
    await evaluateConfigInvocation(
      hub,
      invocation({ kind: "oversized", ruleName, parameters, instanceId: instances[0] }),
    );
    await evaluateConfigInvocation(
      hub,
      invocation({ ruleName, parameters, instanceId: instances[1], status: "ResourceDeleted" }),
    );
    await evaluateConfigInvocation(
      hub,
      invocation({ ruleName, parameters, instanceId: instances[2], eventLeftScope: true }),
    );
    expect(world.sandbox.counter.snapshot()["config"]?.byOperation["GetResourceConfigHistory"]).toBe(before + 1);
    const shown = await compliance(EMEA, ruleName);
    expect(shown[instances[0]!]).toMatch(/^COMPLIANT/);
    expect(shown[instances[1]!]).toBe("NOT_APPLICABLE the instance was deleted");
    expect(shown[instances[2]!]).toBe("NOT_APPLICABLE the instance left the rule's scope");
  });
});

describe("periodic evaluation", () => {
  it("puts every instance of the account in one call and reads the tenant's fleet once per pass", async () => {
    const fleets = newFleetCache();
    const searches = wsCalls("searchComputers");
    const puts = world.sandbox.aws.config.putCalls;
    for (const rule of ["ws-agent-active", "ws-clear-of-warnings"]) {
      const event = invocation({
        kind: "scheduled",
        accountId: GLOBAL,
        ruleName: `periodic-${rule}`,
        parameters: { rule },
      });
      const result = await evaluateConfigInvocation(hub, event, { fleets });
      expect(result).toMatchObject({ tenant: "global", put: { calls: 1 } });
      expect(result.evaluations).toHaveLength(3);
    }
    expect(world.sandbox.aws.config.putCalls - puts).toBe(2);
    expect(wsCalls("searchComputers") - searches).toBe(1);
    expect(await compliance(GLOBAL, "periodic-ws-agent-active")).toEqual({
      "i-0b10000000000001": "COMPLIANT WS: agent active",
      "i-0b20000000000002": expect.stringMatching(/^NON_COMPLIANT WS: agent inactive/),
      "i-0b30000000000003": "COMPLIANT WS: agent active",
    });
  });

  it("an account in no mapped tenant is recorded with the reason and puts nothing", async () => {
    const puts = world.sandbox.aws.config.putCalls;
    const event = invocation({
      kind: "scheduled",
      accountId: UNMAPPED,
      ruleName: "ws-agent-active",
      parameters: { rule: "ws-agent-active" },
    });
    const result = await evaluateConfigInvocation(hub, event);
    expect(result.skipped).toEqual([
      { resourceId: "i-0c10000000000001", reason: `account ${UNMAPPED} maps to no Workload Security tenant` },
    ]);
    expect(world.sandbox.aws.config.putCalls).toBe(puts);
  });
});

describe("on demand (wshub compliance)", () => {
  it("evaluates every mapped account's instances, reads each fleet once and puts nothing", async () => {
    const puts = world.sandbox.aws.config.putCalls;
    const searches = wsCalls("searchComputers");
    const rules = ['{"rule":"ws-agent-active"}', '{"rule":"ws-module-on","module":"intrusionPrevention"}'];
    const result = await evaluateOrganizationCompliance(
      hub,
      rules.map((r) => parseRuleParameters(r)),
    );
    expect(result.rows).toHaveLength(12);
    expect(
      result.rows.find((r) => r.resourceId === "i-0b10000000000001" && r.rule === "ws-module-on:intrusionPrevention"),
    ).toMatchObject({
      compliance: "NON_COMPLIANT",
      annotation: "WS intrusionPrevention is detect (expected: prevent)",
    });
    expect(result.skipped.map((s) => s.accountId)).toEqual(expect.arrayContaining([UNMAPPED]));
    expect(wsCalls("searchComputers") - searches).toBe(2);
    expect(world.sandbox.aws.config.putCalls).toBe(puts);
  });
});

describe("the weekly run's Compliance sheet", () => {
  it("with compliance.inRun each account's report section holds its rule results; nothing is put", async () => {
    const inRun = await world.hub((c) => {
      c.compliance = { inRun: true, rules: ['{"rule":"ws-agent-active"}'] };
      c.waf = { mode: "off" };
    });
    const puts = world.sandbox.aws.config.putCalls;
    const accounts = (await inRun.organization.listOrganization()).accounts.filter((a) =>
      [EMEA, GLOBAL].includes(a.id),
    );
    const run = { runId: "run-20260304T120000Z-cmp1", actor: "tester" };
    const sections = await runSections(inRun, run, { accounts, evaluations: [] });
    const emea = sections.byAccount.get(EMEA);
    expect(emea?.waf).toBeUndefined();
    expect(Object.fromEntries((emea?.compliance ?? []).map((r) => [r.resourceId, r.compliance]))).toEqual({
      "i-0a10000000000001": "COMPLIANT",
      "i-0a20000000000002": "COMPLIANT",
      "i-0a30000000000003": "NON_COMPLIANT",
    });
    expect(sections.byAccount.get(GLOBAL)?.compliance?.every((r) => r.accountId === GLOBAL)).toBe(true);
    expect(sections.errors.map((e) => e.subject)).not.toContain(`${EMEA}/${REGION}`);
    expect(world.sandbox.aws.config.putCalls).toBe(puts);
  });

  it("the CLI run decides them as each account is evaluated: the same rows, stored with the run for its report", async () => {
    const inRun = await world.hub((c) => {
      c.compliance = { inRun: true, rules: ['{"rule":"ws-agent-active"}'] };
      c.waf = { mode: "off" };
    });
    const runId = "run-20260304T120000Z-cmp2";
    const planned = planAccounts(await inRun.organization.listOrganization(), inRun.config);
    const emea = planned.find((p) => p.account.id === EMEA);
    if (!emea) throw new Error("EMEA is not in the organization");
    const perAccount = runAccountSections(inRun, { runId });
    const shown = await perAccount.forTenant(emea.tenant.tenant).sections(emea);
    expect(Object.fromEntries((shown.compliance ?? []).map((r) => [r.resourceId, r.compliance]))).toEqual({
      "i-0a10000000000001": "COMPLIANT",
      "i-0a20000000000002": "COMPLIANT",
      "i-0a30000000000003": "NON_COMPLIANT",
    });
    expect(perAccount.errors).toEqual([]);
    // `wshub report --run` rebuilds the Compliance sheet from what was stored.
    expect((await storedSections(inRun, runId, EMEA)).compliance).toEqual(shown.compliance);
  });
});

describe("bad input and outages", () => {
  it("an invocation of unknown shape is in the trail as rejected, with the reason", async () => {
    const event = invocation({ ruleName: "ws-legacy", parameters: { dsPolicy: "Linux Server" } });
    const result = await evaluateConfigInvocation(hub, event);
    expect(result.skipped[0]?.reason).toMatch(/^CONFIG_RULE_PARAMETERS_INVALID: rule parameter/);
    const trail = await hub.audit.query({ accountId: EMEA });
    expect(trail.some((e) => e.action === "rejected" && e.targetId === "ws-legacy")).toBe(true);
  });

  it("a Workload Security outage puts nothing and raises COMPLIANCE_UNAVAILABLE; Config keeps the last result", async () => {
    const before = await compliance(EMEA, "ws-agent-active");
    const puts = world.sandbox.aws.config.putCalls;
    world.sandbox.faults.set({ workloadSecurity: { emea: { errorRate: 1, errorStatus: 503 } } });
    try {
      const event = invocation({
        ruleName: "ws-agent-active",
        parameters: { rule: "ws-agent-active" },
        instanceId: "i-0a20000000000002",
      });
      await expect(evaluateConfigInvocation(hub, event)).rejects.toMatchObject({ code: "COMPLIANCE_UNAVAILABLE" });
      const periodic = invocation({
        kind: "scheduled",
        ruleName: "ws-agent-active",
        parameters: { rule: "ws-agent-active" },
      });
      await expect(evaluateConfigInvocation(hub, periodic)).rejects.toMatchObject({ code: "COMPLIANCE_UNAVAILABLE" });
    } finally {
      world.sandbox.faults.set({});
    }
    expect(world.sandbox.aws.config.putCalls).toBe(puts);
    expect(await compliance(EMEA, "ws-agent-active")).toEqual(before);
  });

  it("each put is audited: intent before, outcome after", async () => {
    const trail = await hub.audit.query({ accountId: GLOBAL });
    const config = trail.filter((e) => e.change === "config-evaluations");
    expect(config.filter((e) => e.action === "intent").length).toBeGreaterThan(0);
    expect(config.filter((e) => e.action === "applied").length).toBe(
      config.filter((e) => e.action === "intent").length,
    );
  });
});
