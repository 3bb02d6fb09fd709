import { describe, expect, it } from "vitest";
import { shareRuleIds, type WsComputer } from "../src/index.js";

const computer = (id: number, ipsRuleIds: number[]): WsComputer => ({
  id,
  hostName: `h${id}`,
  policyId: 1,
  ipsRuleIds,
});

describe("shareRuleIds", () => {
  it("gives computers with the same rules, in any order, one ascending array", () => {
    const computers = [computer(1, [30, 10, 20]), computer(2, [10, 20, 30]), computer(3, [10, 20])];
    shareRuleIds(computers);
    const [a, b, c] = computers.map((x) => x.ipsRuleIds);
    expect(a).toEqual([10, 20, 30]);
    expect(b).toBe(a);
    expect(c).toEqual([10, 20]);
    expect(c).not.toBe(a);
  });

  it("keeps lists that collide on length apart", () => {
    const computers = [computer(1, [1, 2]), computer(2, [1, 3]), computer(3, [])];
    shareRuleIds(computers);
    expect(computers.map((x) => x.ipsRuleIds)).toEqual([[1, 2], [1, 3], []]);
  });
});
