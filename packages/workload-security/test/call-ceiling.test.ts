import { afterEach, describe, expect, it, vi } from "vitest";
import { invocationCallShare, WshubError } from "@wshub/core";
import { WorkloadSecurityHttp } from "../src/index.js";

/**
 * The react function's ceiling: each concurrent invocation (its own process, its own limiter) takes
 * maxCallsPerMinute / concurrency, so together they never exceed the tenant's ceiling in any 60 seconds. Fake timers
 * let three minutes of saturated reactors run in milliseconds.
 */
const KEY = "tmc1secretKEY:0123456789abcdef";
const CEILING = 60;
const REACTORS = 4;
/** Each reactor keeps this many requests in flight (a Macie bucket's look-ups run four at once). */
const IN_FLIGHT = 4;
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

/** The most calls any rolling minute (t - 60 s, t] saw. */
function busiestMinute(sent: number[]): number {
  return Math.max(...sent.map((t) => sent.filter((s) => s > t - MINUTE && s <= t).length));
}

describe("a tenant's call ceiling across concurrent react invocations", () => {
  it(`${REACTORS} saturated reactors never make more than ${CEILING} calls in any minute, and use the ceiling`, async () => {
    vi.useFakeTimers({ now: 0 });
    const sent: number[] = [];
    const fetch: typeof globalThis.fetch = async () => {
      sent.push(Date.now());
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    const share = invocationCallShare({ tenant: "acme", maxCallsPerMinute: CEILING, concurrency: REACTORS });
    const reactors = Array.from(
      { length: REACTORS },
      () =>
        new WorkloadSecurityHttp({
          tenant: "acme",
          baseUrl: "https://ws.example.com/api",
          apiKey: KEY,
          maxCallsPerMinute: share,
          fetch,
        }),
    );
    let running = true;
    const work = reactors.flatMap((reactor) =>
      Array.from({ length: IN_FLIGHT }, async () => {
        while (running) await reactor.request("GET", "/computers/1");
      }),
    );
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    running = false;
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    await Promise.all(work);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(CEILING);
    expect(sent.filter((t) => t < MINUTE)).toHaveLength(CEILING);
    expect(sent.length).toBeGreaterThanOrEqual(3 * CEILING);
  });

  it("refuses more concurrent invocations than calls a minute (the ceiling could not hold)", () => {
    expect(() => invocationCallShare({ tenant: "acme", maxCallsPerMinute: 10, concurrency: 20 })).toThrow(WshubError);
    expect(invocationCallShare({ tenant: "acme", maxCallsPerMinute: 450, concurrency: 2 })).toBe(225);
  });
});
