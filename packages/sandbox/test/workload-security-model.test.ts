import { describe, expect, it } from "vitest";
import type { ScenarioComputer, ScenarioIpsRule, ScenarioTenant } from "../src/scenario/types.js";
import { ApiError } from "../src/workload-security/errors.js";
import { TenantModel } from "../src/workload-security/model.js";
import { expandSections, renderComputer, renderPolicy, renderRule } from "../src/workload-security/render.js";
import { parseSearch, runSearch } from "../src/workload-security/search.js";

const ALL = expandSections([]);

function computer(id: number, policyId: number, extra: Partial<ScenarioComputer> = {}): ScenarioComputer {
  return {
    id,
    hostName: `host-${id}`,
    policyId,
    ec2: {
      instanceId: `i-${String(id).padStart(17, "0")}`,
      accountId: "111111111111",
      region: "eu-west-1",
      viaConnector: true,
    },
    agentStatus: "active",
    ipsState: "inherited",
    ipsRuleIds: [],
    antiMalwareState: "inherited",
    integrityMonitoringState: "inherited",
    ...extra,
  };
}

function rule(id: number, cves: string[], extra: Partial<ScenarioIpsRule> = {}): ScenarioIpsRule {
  return {
    id,
    identifier: String(1_000_000 + id),
    name: `Rule ${id}`,
    cves,
    detectOnly: false,
    severity: "medium",
    ...extra,
  };
}

/**
 * Policy tree: 1 (prevent, rule 1) ← 2 (inherited, rule 2) ← 3 (detect, rule 3); 4 (inherited, top level, rule 5).
 * Computers: 10 on 3 with its own rule 4; 11 on 2; 12 on 4; 13 without policy; 14 on 2 with its own state `off`.
 */
function tenant(): ScenarioTenant {
  return {
    name: "t",
    region: "eu-west-1",
    apiKey: "key-t",
    ipsRules: [
      rule(1, ["CVE-2024-0001"], { severity: "high", cvssScore: 7.5 }),
      rule(2, ["CVE-2024-0002", " cve-2024-0003"]),
      rule(3, ["CVE-2024-0004"], { detectOnly: true }),
      rule(4, [], { type: "smart" }),
      rule(5, ["CVE-2023-9999", "CVE-2024-0001"]),
    ],
    policies: [
      { id: 1, name: "Base", parentId: null, ipsState: "prevent", ipsRuleIds: [1] },
      { id: 2, name: "Linux", parentId: 1, ipsState: "inherited", ipsRuleIds: [2] },
      { id: 3, name: "Linux web", parentId: 2, ipsState: "detect", ipsRuleIds: [3] },
      { id: 4, name: "Other", parentId: null, ipsState: "inherited", ipsRuleIds: [5] },
    ],
    computers: [
      computer(10, 3, { ipsRuleIds: [4] }),
      computer(11, 2),
      computer(12, 4),
      computer(13, 0, { ec2: null }),
      computer(14, 2, {
        ipsState: "off",
        ec2: { instanceId: "i-0000000000000014", accountId: "222222222222", region: "eu-west-1", viaConnector: false },
      }),
    ],
  };
}

const c = (model: TenantModel, id: number) => model.computers.get(id)!;
const p = (model: TenantModel, id: number) => model.policies.get(id)!;

describe("effective IPS rules and state through a policy chain", () => {
  it("unions the rules of the computer, its policy and every ancestor", () => {
    const model = new TenantModel(tenant(), 1);
    expect(model.effectiveComputerRules(c(model, 10))).toEqual([1, 2, 3, 4]);
    expect(model.effectiveComputerRules(c(model, 11))).toEqual([1, 2]);
    expect(model.effectiveComputerRules(c(model, 12))).toEqual([5]);
    expect(model.effectiveComputerRules(c(model, 13))).toEqual([]);
    expect(model.effectivePolicyRules(3)).toEqual([1, 2, 3]);
  });

  it("takes the state from the nearest non-inherited level; inherited at the top, or no policy, is prevent", () => {
    const model = new TenantModel(tenant(), 1);
    expect(model.effectiveComputerState(c(model, 10))).toBe("detect");
    expect(model.effectiveComputerState(c(model, 11))).toBe("prevent");
    expect(model.effectiveComputerState(c(model, 12))).toBe("prevent");
    expect(model.effectiveComputerState(c(model, 13))).toBe("prevent");
    expect(model.effectiveComputerState(c(model, 14))).toBe("off");
    expect(model.effectivePolicyState(2)).toBe("prevent");
  });

  it("renders effective values by default and only the object's own with overrides", () => {
    const model = new TenantModel(tenant(), 1);
    expect(renderComputer(model, c(model, 10), ALL, false)["intrusionPrevention"]).toMatchObject({
      state: "detect",
      ruleIDs: [1, 2, 3, 4],
    });
    const own = renderComputer(model, c(model, 10), ALL, true)["intrusionPrevention"] as Record<string, unknown>;
    expect(own["ruleIDs"]).toEqual([4]);
    expect(own).not.toHaveProperty("state");
    expect(renderPolicy(model, p(model, 2), false)["intrusionPrevention"]).toMatchObject({
      state: "prevent",
      ruleIDs: [1, 2],
    });
    const ownPolicy = renderPolicy(model, p(model, 2), true)["intrusionPrevention"] as Record<string, unknown>;
    expect(ownPolicy["ruleIDs"]).toEqual([2]);
    expect(ownPolicy).not.toHaveProperty("state");
  });

  it("shows the EC2 identity in ec2VirtualMachineSummary only via a connector, else only in noConnectorVirtualMachineSummary", () => {
    const model = new TenantModel(tenant(), 1);
    const viaConnector = renderComputer(model, c(model, 10), ALL, false);
    expect(viaConnector["ec2VirtualMachineSummary"]).toMatchObject({
      instanceID: "i-00000000000000010",
      accountID: "111111111111",
      cloudProvider: "AWS",
    });
    expect(viaConnector).not.toHaveProperty("noConnectorVirtualMachineSummary");
    const direct = renderComputer(model, c(model, 14), ALL, false);
    expect(direct).not.toHaveProperty("ec2VirtualMachineSummary");
    expect(direct["noConnectorVirtualMachineSummary"]).toEqual({
      instanceID: "i-0000000000000014",
      accountID: "222222222222",
      region: "eu-west-1",
    });
    const none = renderComputer(model, c(model, 13), expandSections(["none"]), false);
    expect(Object.keys(none)).not.toContain("intrusionPrevention");
    expect(none).toMatchObject({ ID: 13, hostName: "host-13", policyID: 0 });
    expect(Object.values(renderComputer(model, c(model, 13), ALL, false))).not.toContain(null);
  });
});

describe("assignments", () => {
  it("POST adds, PUT replaces, DELETE removes, on computers; other computers are untouched", () => {
    const model = new TenantModel(tenant(), 1);
    model.assignRules(c(model, 11), [5, 3], "add");
    expect(model.effectiveComputerRules(c(model, 11))).toEqual([1, 2, 3, 5]);
    model.assignRules(c(model, 11), [4], "set");
    expect([...c(model, 11).ruleIds]).toEqual([4]);
    model.unassignRule(c(model, 11), 4);
    expect(model.effectiveComputerRules(c(model, 11))).toEqual([1, 2]);
    expect(model.effectiveComputerRules(c(model, 10))).toEqual([1, 2, 3, 4]);
    expect(model.effectiveComputerRules(c(model, 14))).toEqual([1, 2]);
  });

  it("a policy change reaches every computer on the policy or a descendant policy, and nothing else", () => {
    const model = new TenantModel(tenant(), 1);
    model.assignRules(p(model, 1), [5], "add");
    expect(model.effectiveComputerRules(c(model, 10))).toEqual([1, 2, 3, 4, 5]);
    expect(model.effectiveComputerRules(c(model, 11))).toEqual([1, 2, 5]);
    expect(model.effectiveComputerRules(c(model, 13))).toEqual([]);
    model.assignRules(p(model, 2), [], "set");
    expect(model.effectiveComputerRules(c(model, 11))).toEqual([1, 5]);
    model.unassignRule(p(model, 1), 1);
    expect(model.effectiveComputerRules(c(model, 10))).toEqual([3, 4, 5]);
    expect(model.computersUnderPolicy(2, true).map((x) => x.id)).toEqual([10, 11, 14]);
    expect(model.computersUnderPolicy(2, false).map((x) => x.id)).toEqual([11, 14]);
  });

  it("an unknown rule ID rejects the whole request, naming the unknown IDs, and assigns nothing", () => {
    const model = new TenantModel(tenant(), 1);
    const attempt = () => model.assignRules(c(model, 11), [3, 777, 888], "add");
    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(/777, 888/);
    expect([...c(model, 11).ruleIds]).toEqual([]);
  });

  it("a change invalidates cached renderings", () => {
    const model = new TenantModel(tenant(), 1);
    const render = () => model.cached("x", () => model.effectiveComputerRules(c(model, 11)));
    expect(render()).toEqual([1, 2]);
    model.assignRules(c(model, 11), [4], "add");
    expect(render()).toEqual([1, 2, 4]);
  });
});

describe("search", () => {
  const model = new TenantModel(tenant(), 1);
  const rules = [...model.rules.values()].map(renderRule);
  const computers = [...model.computers.values()].map((x) => renderComputer(model, x, ALL, false));
  const ids = (objects: Record<string, unknown>[]) => objects.map((o) => o["ID"]);
  const searchRules = (filter: unknown) => ids(runSearch(rules, parseSearch(filter, "intrusionPreventionRule")));
  const searchComputers = (filter: unknown) => ids(runSearch(computers, parseSearch(filter, "computer")));

  it("matches a string test on an array field when any element matches, wildcards on by default", () => {
    expect(
      searchRules({ searchCriteria: [{ fieldName: "CVE", stringTest: "equal", stringValue: "CVE-2024-0001" }] }),
    ).toEqual([1, 5]);
    expect(searchRules({ searchCriteria: [{ fieldName: "CVE", stringValue: "%cve-2024-0003%" }] })).toEqual([2]);
    expect(searchRules({ searchCriteria: [{ fieldName: "CVE", stringValue: "CVE-2024-000_" }] })).toEqual([1, 2, 3, 5]);
    expect(
      searchRules({ searchCriteria: [{ fieldName: "CVE", stringTest: "not-equal", stringValue: "CVE-2024-0001" }] }),
    ).toEqual([2, 3, 4]);
  });

  it("treats % and _ literally when stringWildcards is false, and values are case-sensitive", () => {
    expect(
      searchRules({ searchCriteria: [{ fieldName: "CVE", stringValue: "CVE-2024-000_", stringWildcards: false }] }),
    ).toEqual([]);
    expect(searchRules({ searchCriteria: [{ fieldName: "CVE", stringValue: "%CVE-2024-0003%" }] })).toEqual([]);
  });

  it("supports ID, numeric, boolean, choice, null and date tests, ANDed, with a single criteria object accepted", () => {
    expect(searchRules({ searchCriteria: [{ idTest: "less-than-or-equal", idValue: 2 }] })).toEqual([1, 2]);
    expect(
      searchRules({
        searchCriteria: [
          { idTest: "not-equal", idValue: 2 },
          { idValue: 3, idTest: "greater-than-or-equal" },
        ],
      }),
    ).toEqual([3, 4, 5]);
    expect(searchRules({ searchCriteria: { fieldName: "ID", idTest: "equal", idValue: 4 } })).toEqual([4]);
    expect(searchRules({ searchCriteria: [{ fieldName: "eventLoggingDisabled", booleanTest: false }] })).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(searchRules({ searchCriteria: [{ fieldName: "eventLoggingDisabled", booleanTest: true }] })).toEqual([]);
    expect(
      searchRules({
        searchCriteria: [{ fieldName: "CVSSScore", numericTest: "greater-than-or-equal", numericValue: 7 }],
      }),
    ).toEqual([1]);
    expect(searchRules({ searchCriteria: [{ fieldName: "severity", choiceValue: "high" }] })).toEqual([1]);
    expect(
      searchRules({ searchCriteria: [{ fieldName: "severity", choiceTest: "not-equal", choiceValue: "high" }] }),
    ).toEqual([2, 3, 4, 5]);
    expect(searchRules({ searchCriteria: [{ fieldName: "CVSSScore", nullTest: true }] })).toEqual([2, 3, 4, 5]);
    const lastUpdated = rules.find((r) => r["ID"] === 2)!["lastUpdated"] as number;
    expect(
      searchRules({
        searchCriteria: [{ fieldName: "lastUpdated", firstDateValue: lastUpdated, lastDateValue: lastUpdated }],
      }),
    ).toEqual([2]);
    expect(
      searchRules({
        searchCriteria: [
          {
            fieldName: "lastUpdated",
            firstDateValue: lastUpdated,
            firstDateInclusive: false,
            lastDateValue: lastUpdated,
          },
        ],
      }),
    ).toEqual([]);
    expect(
      searchComputers({ searchCriteria: [{ fieldName: "policyID", numericTest: "greater-than", numericValue: 2 }] }),
    ).toEqual([10, 12]);
  });

  it("addresses nested fields with /", () => {
    expect(
      searchComputers({
        searchCriteria: [{ fieldName: "ec2VirtualMachineSummary/instanceID", stringValue: "i-00000000000000011" }],
      }),
    ).toEqual([11]);
    expect(
      searchComputers({
        searchCriteria: [
          { fieldName: "noConnectorVirtualMachineSummary/instanceID", stringValue: "i-0000000000000014" },
        ],
      }),
    ).toEqual([14]);
    expect(
      searchComputers({
        searchCriteria: [{ fieldName: "ec2VirtualMachineSummary/accountID", stringValue: "111111111111" }],
      }),
    ).toEqual([10, 11, 12]);
  });

  it("pages by ID: maxItems plus idTest greater-than the last ID returns the next page, in ascending ID order", () => {
    const shuffled = [...rules].reverse();
    const page = (after: number) =>
      ids(
        runSearch(
          shuffled,
          parseSearch(
            { maxItems: 2, searchCriteria: [{ idValue: after, idTest: "greater-than" }], sortByObjectID: "true" },
            "intrusionPreventionRule",
          ),
        ),
      );
    expect(page(0)).toEqual([1, 2]);
    expect(page(2)).toEqual([3, 4]);
    expect(page(4)).toEqual([5]);
    expect(page(5)).toEqual([]);
    // Without sortByObjectID the order is ascending ID as well (the simulator's documented choice).
    expect(ids(runSearch(shuffled, parseSearch({ maxItems: 3 }, "intrusionPreventionRule")))).toEqual([1, 2, 3]);
  });

  it("rejects maxItems above 5000, unknown and non-searchable fields, and tests a field cannot take", () => {
    const error = (filter: unknown) => {
      try {
        parseSearch(filter, "intrusionPreventionRule");
      } catch (e) {
        return e as ApiError;
      }
      throw new Error("no error");
    };
    expect(error({ maxItems: 5001 })).toMatchObject({ status: 400, message: expect.stringContaining("5000") });
    expect(error({ maxItems: "lots" }).status).toBe(400);
    expect(error({ searchCriteria: [{ fieldName: "noSuchField", stringValue: "x" }] }).message).toContain(
      "noSuchField",
    );
    // detectOnly is in the rule object but the spec does not mark it searchable.
    expect(error({ searchCriteria: [{ fieldName: "detectOnly", booleanTest: true }] }).message).toContain("detectOnly");
    expect(error({ searchCriteria: [{ fieldName: "severity", numericValue: 1 }] }).message).toContain("Numeric");
    expect(error({ searchCriteria: [{ idTest: "bigger", idValue: 1 }] }).status).toBe(400);
    expect(parseSearch({ maxItems: 5000 }, "intrusionPreventionRule").maxItems).toBe(5000);
    expect(parseSearch(undefined, "intrusionPreventionRule").maxItems).toBe(5000);
  });
});
