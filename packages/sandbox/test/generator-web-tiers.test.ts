import { describe, expect, it } from "vitest";
import { generateScenario, SIZE_PRESETS } from "../src/generator/index.js";
import { generateWebTiers } from "../src/generator/web-tiers.js";
import { parseScenario } from "../src/scenario/load.js";
import type { ScenarioInstance } from "../src/scenario/types.js";

/** `accounts` accounts of `perAccount` instances each, as the generator lays them out (one region an account). */
function fleet(accounts: number, perAccount: number): ScenarioInstance[] {
  return Array.from({ length: accounts * perAccount }, (_, i) => ({
    accountId: String(100000000000 + Math.floor(i / perAccount)),
    region: "us-east-1",
    instanceId: `i-0${i.toString(16).padStart(16, "0")}`,
    tags: {},
  }));
}

describe("generated web tiers", () => {
  it("gives a generated scenario web tiers the loader accepts", () => {
    const { scenario, facts } = generateScenario({ seed: 42, size: "tiny" });
    const loaded = parseScenario(JSON.parse(JSON.stringify(scenario)), "tiny");
    expect(loaded.loadBalancers).toHaveLength(facts.webTier.loadBalancers);
    expect(facts.webTier.accounts).toBeGreaterThan(0);
    expect(facts.webTier.webAcls).toBe(loaded.webAcls?.length);
    expect(facts.webTier.distributions).toBe(loaded.distributions?.length);
  });

  it("is deterministic and leaves the rest of a scenario as it was without one", () => {
    const a = generateScenario({ seed: 7, size: "tiny" }).scenario;
    const b = generateScenario({ seed: 7, size: "tiny", shape: { webTierShare: 0 } }).scenario;
    expect(JSON.stringify(generateScenario({ seed: 7, size: "tiny" }).scenario)).toBe(JSON.stringify(a));
    expect(b.loadBalancers).toEqual([]);
    const withoutTier = (s: typeof a) => JSON.stringify({ ...s, webAcls: [], loadBalancers: [], distributions: [] });
    expect(withoutTier(b)).toBe(withoutTier(a));
  });

  it("puts a web tier in about the share of accounts asked, at the size of L", () => {
    const accounts = SIZE_PRESETS.L.accounts;
    const tiers = generateWebTiers(1, fleet(accounts, 4), SIZE_PRESETS.L.webTierShare);
    const withTier = new Set(tiers.loadBalancers.map((lb) => lb.accountId)).size;
    expect(withTier / accounts).toBeGreaterThan(0.25);
    expect(withTier / accounts).toBeLessThan(0.35);
  });

  it("makes every shape the WAF check must handle", () => {
    const tiers = generateWebTiers(3, fleet(200, 5), 0.5);
    const lbs = tiers.loadBalancers;
    expect(lbs.some((lb) => lb.scheme === "internal")).toBe(true);
    expect(lbs.some((lb) => lb.scheme === "internet-facing" && lb.webAcl === undefined)).toBe(true);
    expect(lbs.some((lb) => lb.webAcl !== undefined)).toBe(true);
    expect(lbs.some((lb) => lb.targetGroups.length > 1)).toBe(true);
    expect(tiers.distributions.some((d) => d.webAcl !== undefined)).toBe(true);
    expect(tiers.distributions.some((d) => d.webAcl === undefined)).toBe(true);
    // Every target is an instance of the load balancer's own account.
    for (const lb of lbs)
      for (const id of lb.targetGroups.flatMap((g) => g.instanceIds))
        expect(Math.floor(parseInt(id.slice(3), 16) / 5) + 100000000000).toBe(Number(lb.accountId));
  });
});
