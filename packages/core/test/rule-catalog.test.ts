import { describe, expect, it } from "vitest";
import {
  RULE_CATALOG_FULL_READ_MS,
  reusableCatalog,
  withChangedRules,
  type IpsRule,
  type RuleCatalog,
} from "../src/index.js";

const rule = (id: number, cves: string[] = []): IpsRule => ({
  id,
  identifier: `10${id}`,
  name: `r${id}`,
  cves,
  detectOnly: false,
});
const readAt = "2026-12-04T08:00:00.000Z";
const catalog: RuleCatalog = { tenant: "emea", rules: [rule(1), rule(3)], stamp: { lastUpdated: 5, readAt } };
const after = (ms: number) => new Date(Date.parse(readAt) + ms);

describe("the kept rule catalog", () => {
  it("is refreshed within a day of its full read, for its own tenant only", () => {
    expect(reusableCatalog(catalog, "emea", after(60_000))).toBe(catalog);
    expect(reusableCatalog(catalog, "global", after(60_000))).toBeUndefined();
    expect(reusableCatalog(undefined, "emea", after(60_000))).toBeUndefined();
  });

  it("is read in full again after a day (removed rules leave nothing to search for) or when the clock went back", () => {
    expect(reusableCatalog(catalog, "emea", after(RULE_CATALOG_FULL_READ_MS))).toBeUndefined();
    expect(reusableCatalog(catalog, "emea", after(-1))).toBeUndefined();
  });

  it("takes the rules modified since: a revised rule replaces its older self, a new one joins, ascending by id", () => {
    const merged = withChangedRules(catalog.rules, [rule(3, ["CVE-2024-1"]), rule(2)]);
    expect(merged.map((r) => [r.id, r.cves])).toEqual([
      [1, []],
      [2, []],
      [3, ["CVE-2024-1"]],
    ]);
    expect(catalog.rules.map((r) => r.cves)).toEqual([[], []]);
  });
});
