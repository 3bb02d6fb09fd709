import { builtInScenarioPath, CallCounter, FaultPlan, loadScenarioFile } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startWorkloadSecuritySimulator,
  type WorkloadSecuritySimulator,
} from "../../packages/sandbox/src/workload-security/index.js";

/**
 * The vendor's API reads boolean parameters case-insensitively, and its own Python SDK sends `overrides=False`
 * (Python's `str(False)`): the simulator answers those exactly as it answers `false`/`true`.
 */
describe("Workload Security simulator: booleans as the vendor's SDK sends them", () => {
  let simulator: WorkloadSecuritySimulator | undefined;
  let apiKey = "";

  beforeAll(async () => {
    const scenario = loadScenarioFile(builtInScenarioPath("example-small"));
    apiKey = scenario.workloadSecurity.tenants.find((t) => t.name === "emea")?.apiKey ?? "";
    simulator = await startWorkloadSecuritySimulator({
      tenants: scenario.workloadSecurity.tenants,
      counter: new CallCounter(),
      faults: new FaultPlan(),
    });
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  async function call(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${simulator?.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "api-version": "v1", Authorization: `ApiKey ${apiKey}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  it.each([
    ["/computers?expand=intrusionPrevention&overrides=False", "/computers?expand=intrusionPrevention&overrides=false"],
    ["/computers?expand=intrusionPrevention&overrides=TRUE", "/computers?expand=intrusionPrevention&overrides=true"],
    ["/policies/2?overrides=True", "/policies/2?overrides=true"],
  ])("%s answers as %s", async (sdkStyle, canonical) => {
    const [a, b] = [await call(sdkStyle), await call(canonical)];
    expect(a.status).toBe(200);
    expect(a).toEqual(b);
  });

  it("overrides=True differs from overrides=False (the flag is read, not ignored)", async () => {
    expect(await call("/policies/2?overrides=True")).not.toEqual(await call("/policies/2?overrides=False"));
  });

  it("a value that is no boolean is still a 400", async () => {
    expect((await call("/computers?overrides=yes")).status).toBe(400);
  });

  it("sortByObjectID and booleanTest accept the same spellings in a search body", async () => {
    const search = (flag: string) => ({ sortByObjectID: flag, maxItems: 5 });
    const [a, b] = [await call("/computers/search", search("False")), await call("/computers/search", search("false"))];
    expect(a.status).toBe(200);
    expect(a).toEqual(b);
  });
});
