import { describe, expect, it } from "vitest";
import { apiKeyShapeProblem, redactSecret } from "../src/index.js";

describe("apiKeyShapeProblem", () => {
  it.each([
    ["tmc1abcdefgh:0123456789", undefined],
    ["abc\r\ndefghijk", "it contains a control character (a line break, tab or similar)"],
    ["abc\tdefghijk", "it contains a control character (a line break, tab or similar)"],
    ["abc defghijk", "it contains whitespace"],
    ["abcdéfghijk", "it contains a character that is not printable ASCII"],
    ["short", "it is shorter than 8 characters"],
    ["x".repeat(9000), "it is longer than 8192 characters"],
  ])("%j → %s", (key, problem) => expect(apiKeyShapeProblem(key)).toBe(problem));

  it("never quotes the key", () => {
    for (const key of ["secret\nvalue", "secret value", "sécret-value", "s"])
      expect(apiKeyShapeProblem(key) ?? "").not.toMatch(/secret|value|sécret/);
  });
});

describe("redactSecret", () => {
  it("removes the secret and each of its pieces between line breaks", () => {
    const secret = "tmc1abc\r\nX-Injected: 1";
    const text = `Headers.append: "ApiKey tmc1abc\r\nX-Injected: 1" is invalid; also tmc1abc alone and X-Injected:`;
    const redacted = redactSecret(text, secret);
    expect(redacted).not.toMatch(/tmc1abc|X-Injected/);
    expect(redacted).toContain("[redacted]");
    expect(redactSecret("nothing here", "")).toBe("nothing here");
  });
});
