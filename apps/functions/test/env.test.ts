import { describe, expect, it } from "vitest";
import { parseFunctionEnv } from "../src/env.js";

const base = { WSHUB_CONFIG_JSON: "{}", PATH: "/usr/bin", AWS_REGION: "us-east-1" };

describe("the Lambda function environment", () => {
  it("keeps only its own variables and defaults the rest", () => {
    expect(parseFunctionEnv(base)).toEqual({
      WSHUB_CONFIG_JSON: "{}",
      WSHUB_OUTPUT_DIR: "/tmp/wshub",
      POWERTOOLS_SERVICE_NAME: "wshub",
      POWERTOOLS_LOG_LEVEL: "INFO",
    });
  });

  it("rejects a near miss of one of its variables, which would otherwise be ignored", () => {
    expect(() => parseFunctionEnv({ ...base, WSHUB_OUTPUT_DIRR: "/tmp/x" })).toThrow(
      "WSHUB_OUTPUT_DIRR: unknown variable; did you mean WSHUB_OUTPUT_DIR?",
    );
  });

  it("leaves other tools' WSHUB_ variables and the platform's alone", () => {
    expect(() => parseFunctionEnv({ ...base, WSHUB_CONFIG: "wshub.yaml", WSHUB_PYTHON: "python3" })).not.toThrow();
  });

  it("names a missing or doubled configuration source", () => {
    expect(() => parseFunctionEnv({ PATH: "/usr/bin" })).toThrow(/WSHUB_CONFIG_PARAMETER: set exactly one/);
  });
});
