import { describe, expect, it } from "vitest";
import { MAX_ITEMS, WorkloadSecurityHttp, WorkloadSecurityTenant } from "../src/index.js";

const KEY = "tmc1secretKEY:0123456789abcdef";

/** A fleet of MAX_ITEMS + 1 computers (two pages): the odd ones carry rules [3, 1, 2], the even ones [1, 2]. */
function fleet(): typeof globalThis.fetch {
  const computers = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({
    ID: i + 1,
    hostName: `h${i + 1}`,
    policyID: 1,
    intrusionPrevention: { ruleIDs: i % 2 === 0 ? [3, 1, 2] : [1, 2] },
  }));
  return async (_url, init) => {
    const body = JSON.parse(String(init?.body)) as { maxItems: number; searchCriteria: { idValue: number }[] };
    const after = body.searchCriteria[0]?.idValue ?? 0;
    const page = computers.filter((c) => c.ID > after).slice(0, body.maxItems);
    return new Response(JSON.stringify({ computers: page }), { headers: { "content-type": "application/json" } });
  };
}

describe("loading a tenant's computers", () => {
  it("maps each page as it arrives and gives computers with the same rules one ascending list, across pages", async () => {
    const http = new WorkloadSecurityHttp({
      tenant: "acme",
      baseUrl: "https://ws.example.com/api",
      apiKey: KEY,
      fetch: fleet(),
    });
    const computers = await new WorkloadSecurityTenant(http).loadComputers();
    expect(computers).toHaveLength(MAX_ITEMS + 1);
    expect(http.calls).toBe(2);
    const first = computers[0]!.ipsRuleIds;
    const last = computers[MAX_ITEMS]!.ipsRuleIds;
    expect(first).toEqual([1, 2, 3]);
    expect(last).toBe(first);
    expect(new Set(computers.map((c) => c.ipsRuleIds)).size).toBe(2);
  });
});
