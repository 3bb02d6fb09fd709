import { wafWith } from "@wshub/cli";
import type { WafMode, WafRow } from "@wshub/core";
import type { HubContext } from "@wshub/hub";
import { builtInScenarioPath, loadScenarioFile } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorld, type World } from "../src/harness.js";

/** The WAF scenario as the sandbox serves it (moto plus the front's WAF fill-ins and the simulator). */
const WEB_PROD = "333333333333";
let world: World;
beforeAll(async () => {
  world = await startWorld(loadScenarioFile(builtInScenarioPath("waf-small")));
});
afterAll(async () => world?.stop());

interface WafJson {
  rows: WafRow[];
  errors: unknown[];
  updates: number;
}

async function waf(ctx: HubContext, mode: Exclude<WafMode, "off">): Promise<{ code: number; out: WafJson }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await wafWith(ctx, { output: "json", mode });
    return { code, out: JSON.parse(chunks.join("")) };
  } finally {
    spy.mockRestore();
  }
}

const rowOf = (out: WafJson, name: string) => out.rows.find((r) => r.resourceName === name);
const missing = (row: WafRow | undefined) =>
  (row?.missingGroups ?? []).map((g) => g.name.replace(/^AWSManagedRules(.*)RuleSet$/, "$1")).sort();

describe("wshub waf on the sandbox's waf-small", () => {
  it("flags the public ALB with no WebACL, recommends per door, and an apply then a second apply change once", async () => {
    const ctx = await world.hub((c) => {
      c.waf = { mode: "recommend", allowAccounts: [WEB_PROD] };
      c.tenants = (c.tenants ?? []).filter((t) => t.name === "emea");
      c.mapping = { accounts: { [WEB_PROD]: "emea" } };
    });
    const { code, out } = await waf(ctx, "recommend");
    expect(code).toBe(0);
    expect(out.errors).toEqual([]);
    expect(rowOf(out, "api-public")).toMatchObject({ flagged: true, status: "no-webacl" });
    expect(rowOf(out, "cms-origin")?.flagged).toBe(false);
    // The web server's WebACL lacks the web and OS groups; the CMS's distribution the CMS and PHP groups.
    expect(rowOf(out, "web-alb")).toMatchObject({ status: "missing-groups" });
    expect(missing(rowOf(out, "web-alb"))).toEqual(["KnownBadInputs", "Linux", "Unix"]);
    const cms = out.rows.find((r) => r.resourceKind === "cloudfront");
    expect(cms).toMatchObject({ status: "missing-groups", flagged: false });
    expect(missing(cms)).toEqual(["KnownBadInputs", "PHP", "WordPress"]);
    // Flagged rows first.
    expect(out.rows[0]?.flagged).toBe(true);

    const applied = await waf(ctx, "apply");
    expect(applied.code).toBe(0);
    expect(applied.out.updates).toBeGreaterThan(0);
    const again = await waf(ctx, "apply");
    expect(again.out.updates).toBe(0);
    expect(rowOf(again.out, "web-alb")?.status).toBe("covered");
  });
});
