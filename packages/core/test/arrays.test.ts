import { describe, expect, it } from "vitest";
import { appendAll } from "../src/arrays.js";

describe("appendAll", () => {
  it("appends more items than a spread call could pass", () => {
    const target = [0];
    const many = Array.from({ length: 500_000 }, (_, i) => i + 1);
    expect(() => target.push(...many)).toThrow(RangeError);
    target.length = 1;
    appendAll(target, many);
    expect(target).toHaveLength(500_001);
    expect(target[500_000]).toBe(500_000);
  });
});
