import { describe, expect, it } from "vitest";
import { LOOKUP_REUSE_MS, WorkloadSecurityHttp, WorkloadSecuritySignalTenant } from "../src/index.js";

const KEY = "tmc1secretKEY:0123456789abcdef";
const COMPUTER = {
  ID: 7,
  hostName: "web",
  policyID: 2,
  ec2VirtualMachineSummary: { instanceID: "i-1", accountID: "111111111111" },
};

function tenant(answers: number[]) {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (url) => {
    sent.push(String(url));
    const status = answers.shift() ?? 200;
    const body = status === 200 ? { computers: [COMPUTER] } : { message: "down" };
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  const clock = { now: 0 };
  const http = new WorkloadSecurityHttp({
    tenant: "acme",
    baseUrl: "https://ws.example.com/api",
    apiKey: KEY,
    fetch,
    backoff: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  return { api: new WorkloadSecuritySignalTenant(http, () => clock.now), sent, clock };
}

describe("an instance's look-up is reused by one container for a few minutes", () => {
  it("searches once for a burst, again after the window", async () => {
    const { api, sent, clock } = tenant([]);
    expect((await api.computerForInstance("i-1"))?.id).toBe(7);
    clock.now = LOOKUP_REUSE_MS - 1;
    await api.computerForInstance("i-1");
    expect(sent).toHaveLength(1);
    clock.now = LOOKUP_REUSE_MS;
    await api.computerForInstance("i-1");
    expect(sent).toHaveLength(2);
  });

  it("does not keep a failed search", async () => {
    const { api, sent } = tenant([503]);
    await expect(api.computerForInstance("i-1")).rejects.toThrow(/503/);
    expect((await api.computerForInstance("i-1"))?.id).toBe(7);
    expect(sent).toHaveLength(2);
  });
});
