import { describe, expect, it } from "vitest";
import { boundedTasks, mapWithConcurrency, mapWithinBudget } from "../src/concurrency.js";

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

describe("mapWithinBudget", () => {
  /** Runs each item (its weight) for a few ticks and records which ran together. */
  async function together(weights: number[], bounds: { limit: number; budget: number }) {
    const inFlight = new Set<number>();
    const overlaps: number[][] = [];
    const out = await mapWithinBudget(weights, { ...bounds, weight: (w) => w }, async (w, index) => {
      inFlight.add(index);
      overlaps.push([...inFlight].sort());
      for (let i = 0; i < 3; i++) await tick();
      inFlight.delete(index);
      return w * 10;
    });
    return { out, overlaps };
  }

  it("runs items together only while their weights fit the budget, a heavy one alone, in input order", async () => {
    const { out, overlaps } = await together([100, 100, 300, 50, 50], { limit: 2, budget: 250 });
    expect(out).toEqual([1000, 1000, 3000, 500, 500]);
    expect(overlaps).toEqual([[0], [0, 1], [2], [3], [3, 4]]);
  });

  it("never exceeds the limit, whatever the budget", async () => {
    const { overlaps } = await together([1, 1, 1, 1], { limit: 2, budget: 1000 });
    expect(Math.max(...overlaps.map((o) => o.length))).toBe(2);
  });

  it("starts nothing after a rejection, lets the calls in flight finish, then throws it", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapWithinBudget([1, 1, 1, 1], { limit: 2, budget: 10, weight: () => 1 }, async (n, index) => {
      started.push(index);
      if (index === 0) throw new Error("tenant 0 broke");
      for (let i = 0; i < 3; i++) await tick();
      finished.push(index);
      return n;
    });
    await expect(run).rejects.toThrow("tenant 0 broke");
    expect([started, finished]).toEqual([[0, 1], [1]]);
  });
});
