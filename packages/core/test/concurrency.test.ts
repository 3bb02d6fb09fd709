import { describe, expect, it } from "vitest";
import { boundedTasks, mapWithConcurrency } from "../src/concurrency.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("mapWithConcurrency", () => {
  it("keeps input order with at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe("boundedTasks", () => {
  it("makes the producer wait while `limit` tasks run, and drains them all", async () => {
    const tasks = boundedTasks(2);
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    for (let n = 0; n < 7; n++) {
      await tasks.push(async () => {
        most = Math.max(most, ++inFlight);
        for (let i = 0; i < 3; i++) await tick();
        inFlight--;
        done.push(n);
      });
      // The producer is held back: never more than `limit` started and unfinished.
      expect(n + 1 - done.length).toBeLessThanOrEqual(2);
    }
    await tasks.drain();
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it("passes a task's failure to the caller", async () => {
    const tasks = boundedTasks(1);
    await tasks.push(() => Promise.reject(new Error("boom")));
    await expect(tasks.drain()).rejects.toThrow("boom");
  });
});
