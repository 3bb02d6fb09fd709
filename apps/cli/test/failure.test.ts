import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WshubError } from "@wshub/core";
import { reportFailure } from "../src/failure.js";

let stderr = "";
let stdout = "";
beforeEach(() => {
  stderr = "";
  stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe("reportFailure", () => {
  it("prints an unexpected error short, with a hint; its stack only with --verbose", () => {
    const error = new TypeError("cannot read properties of undefined");
    expect(reportFailure(error, { json: false, verbose: false })).toBe(1);
    expect(stderr).toBe(
      "wshub: unexpected error: TypeError: cannot read properties of undefined\n  (run again with --verbose for the stack)\n",
    );
    stderr = "";
    reportFailure(error, { json: false, verbose: true });
    expect(stderr).toMatch(/^wshub: unexpected error: TypeError: .*\nTypeError: .*\n\s+at /);
  });

  it("prints a typed error's message, code and hint, and maps it to its exit code", () => {
    const error = new WshubError("SECRET_INVALID", "secret s does not hold a usable API key", {
      hint: "store the key alone",
    });
    expect(reportFailure(error, { json: false, verbose: false })).toBe(8);
    expect(stderr).toBe(
      "wshub: secret s does not hold a usable API key\n  (SECRET_INVALID)\n  hint: store the key alone\n",
    );
  });

  it("finds missing AWS credentials under the error that wrapped them (exit 9)", () => {
    const sdk = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const wrapped = new WshubError("STORE_FAILED", "DynamoDB Query on wshub-runs failed", {}, { cause: sdk });
    expect(reportFailure(wrapped, { json: true, verbose: false })).toBe(9);
    expect(JSON.parse(stdout)).toMatchObject({
      error: { code: "AWS_CREDENTIALS_UNAVAILABLE", details: { hint: expect.stringContaining("--profile") } },
    });
  });
});
