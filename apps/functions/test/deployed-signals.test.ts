import { describe, expect, it } from "vitest";
import { parseHubConfig } from "@wshub/core";
import { parseFunctionEnv } from "../src/env.js";
import { deployedSignals } from "../src/runtime.js";

const config = parseHubConfig({
  hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
  collection: { mode: "delegated-admin" },
  tenants: [{ name: "acme", apiKeySecret: "s", url: "http://ws.invalid/api" }],
  mapping: { defaultTenant: "acme" },
  reports: { sender: "wshub@example.com" },
  signals: { table: "from-config", concurrency: 2 },
});

describe("the react function's table and concurrency come from the stack", () => {
  it("WSHUB_SIGNALS_TABLE and WSHUB_REACT_CONCURRENCY win over the configuration", () => {
    const env = parseFunctionEnv({
      WSHUB_CONFIG_PARAMETER: "/wshub/configuration",
      WSHUB_SIGNALS_TABLE: "prod-signals",
      WSHUB_REACT_CONCURRENCY: "8",
    });
    expect(deployedSignals(config, env).signals).toMatchObject({ table: "prod-signals", concurrency: 8 });
  });

  it("without them (a local run) the configuration's values stand", () => {
    const env = parseFunctionEnv({ WSHUB_CONFIG_JSON: "{}" });
    expect(deployedSignals(config, env).signals).toMatchObject({ table: "from-config", concurrency: 2 });
  });

  it("refuses a concurrency that is not a whole number from 1 to 1000", () => {
    expect(() => parseFunctionEnv({ WSHUB_CONFIG_JSON: "{}", WSHUB_REACT_CONCURRENCY: "0" })).toThrow(
      /WSHUB_REACT_CONCURRENCY/,
    );
  });
});
