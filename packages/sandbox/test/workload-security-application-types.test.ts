import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultPlan } from "../src/control/faults.js";
import { CallCounter } from "../src/control/stats.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";
import { startWorkloadSecuritySimulator, type WorkloadSecuritySimulator } from "../src/workload-security/index.js";

/** waf-small's tenant: rules of named application types from the sandbox's catalogue, on policies 1 ← 2, 3, 4. */
const scenario = loadScenarioFile(builtInScenarioPath("waf-small"));
const tenant = scenario.workloadSecurity.tenants[0];
let simulator: WorkloadSecuritySimulator;

beforeAll(async () => {
  simulator = await startWorkloadSecuritySimulator({
    tenants: scenario.workloadSecurity.tenants,
    counter: new CallCounter(),
    faults: new FaultPlan(),
  });
});

afterAll(async () => {
  await simulator.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      "api-version": "v1",
      Authorization: `ApiKey ${tenant?.apiKey ?? ""}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

const types = (answer: Record<string, unknown>) => answer["applicationTypes"] as { ID: number; name: string }[];

describe("IPS application types", () => {
  it("lists the catalogue and finds types by name and by keyset page", async () => {
    const all = types(await call("GET", "/applicationtypes"));
    expect(all.length).toBeGreaterThan(10);
    expect(all.find((t) => t.ID === 1003)).toMatchObject({ name: "Web Server Apache", protocol: "tcp" });
    const web = types(
      await call("POST", "/applicationtypes/search", {
        searchCriteria: [{ fieldName: "name", stringTest: "equal", stringValue: "Web Server%" }],
      }),
    );
    expect(web.map((t) => t.name)).toEqual(all.filter((t) => t.name.startsWith("Web Server")).map((t) => t.name));
    const page = types(
      await call("POST", "/applicationtypes/search", {
        maxItems: 3,
        searchCriteria: [{ idValue: 1002, idTest: "greater-than" }],
        sortByObjectID: true,
      }),
    );
    expect(page.map((t) => t.ID)).toEqual([1003, 1004, 1005]);
  });

  it("gives each rule its type, and a policy the types of the rules in force", async () => {
    const rule = await call("GET", "/intrusionpreventionrules/104");
    expect(rule["applicationTypeID"]).toBe(1009);
    const ips = (answer: Record<string, unknown>) =>
      (answer["intrusionPrevention"] as { applicationTypeIDs: number[] }).applicationTypeIDs;
    expect(ips(await call("GET", "/policies/2"))).toEqual([1001, 1003, 1004]);
    expect(ips(await call("GET", "/policies/2?overrides=true"))).toEqual([1003, 1004]);
    expect(ips(await call("GET", "/computers/31?expand=intrusionPrevention"))).toEqual([1001, 1008, 1009]);
    const onPolicy = types(await call("GET", "/policies/3/intrusionprevention/applicationtypes"));
    expect(onPolicy.map((t) => t.name)).toEqual([
      "Operating System Common",
      "Web Application PHP Based",
      "Web Application WordPress",
    ]);
  });
});
