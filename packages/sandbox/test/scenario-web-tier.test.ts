import { readFileSync } from "node:fs";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { builtInScenarioPath, loadScenarioFile, parseScenario } from "../src/index.js";

/** A fresh, mutable copy of waf-small as it is on disk (before defaults). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wafSmall = (): Record<string, any> => JSON.parse(readFileSync(builtInScenarioPath("waf-small"), "utf8"));

function problemsOf(raw: unknown): string[] {
  try {
    parseScenario(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(WshubError);
    expect((error as WshubError).code).toBe(ERROR_CODES.SCENARIO_INVALID);
    return ((error as WshubError).details as { problems: string[] }).problems;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario web tier (WAF)", () => {
  it("loads waf-small with the documented defaults", () => {
    const scenario = loadScenarioFile(builtInScenarioPath("waf-small"));
    expect(scenario.webAcls?.map((a) => [a.name, a.scope, a.region, a.defaultAction])).toEqual([
      ["web-acl", "REGIONAL", "us-east-1", "allow"],
      ["cms-edge-acl", "CLOUDFRONT", "us-east-1", "allow"],
    ]);
    expect(scenario.loadBalancers?.map((lb) => [lb.name, lb.scheme, lb.targetGroups.map((g) => g.port)])).toEqual([
      ["web-alb", "internet-facing", [80]],
      ["cms-origin", "internal", [80]],
      ["api-public", "internet-facing", [8080]],
    ]);
    expect(scenario.distributions?.[0]).toMatchObject({ originLoadBalancers: ["cms-origin"], customOrigins: [] });
  });

  it("leaves a scenario without a web tier with empty lists", () => {
    const scenario = loadScenarioFile(builtInScenarioPath("example-small"));
    expect([scenario.webAcls, scenario.loadBalancers, scenario.distributions]).toEqual([[], [], []]);
  });

  it("reports web tier references that do not resolve, all at once", () => {
    const raw = wafSmall();
    raw["loadBalancers"][0].webAcl = "no-such-acl";
    raw["loadBalancers"][1].targetGroups[0].instanceIds = ["i-0a10000000000009"];
    raw["loadBalancers"][2].name = "web-alb";
    raw["distributions"][0].originLoadBalancers = ["gone"];
    raw["distributions"][0].webAcl = "web-acl";
    raw["webAcls"][0].rules[1].priority = 0;
    raw["workloadSecurity"].tenants[0].ipsRules[0].applicationTypeId = 424242;
    expect(problemsOf(raw)).toEqual([
      "/webAcls/0/rules/1/priority: duplicate priority",
      "/loadBalancers/0/webAcl: no REGIONAL WebACL no-such-acl in 333333333333 us-east-1",
      "/loadBalancers/1/targetGroups/0/instanceIds/0: i-0a10000000000009 is not an instance of 333333333333 us-east-1",
      "/loadBalancers/2/name: duplicate load balancer web-alb in account 333333333333",
      "/distributions/0/originLoadBalancers/0: no load balancer gone in account 333333333333",
      "/distributions/0/webAcl: no CLOUDFRONT WebACL web-acl in 333333333333",
      "/workloadSecurity/tenants/0/ipsRules/0/applicationTypeId: 424242 is not in applicationTypes",
    ]);
  });

  it("holds the shapes to the schema: names ELBv2 takes, one statement a rule, one kind of WebACL a distribution", () => {
    const raw = wafSmall();
    raw["loadBalancers"][0].name = "-web";
    raw["webAcls"][0].rules[0].managedGroup = { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" };
    raw["distributions"][0].classicWebAclId = "8f1e4b3c-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
    const problems = problemsOf(raw);
    expect(problems.some((p) => p.startsWith("/loadBalancers/0/name:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("/webAcls/0/rules/0:") && p.includes("oneOf"))).toBe(true);
    expect(problems.some((p) => p.startsWith("/distributions/0:") && p.includes("rule: not"))).toBe(true);
  });
});
