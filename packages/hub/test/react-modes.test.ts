import { describe, expect, it } from "vitest";
import { computer, go, guardDuty, harness, inspectorFinding, inspectorSignal } from "./react-fakes.js";

/**
 * Plan and apply for reactions, as for the weekly run's writes: `signals.mode: plan` (what the deployed function
 * reads) records scans and assignments as planned in the trail and makes none; `--plan` writes nothing at all.
 */
const PLAN = { signals: { mode: "plan" } };

const planFinding = inspectorFinding({ findingArn: "arn:aws:inspector2:us-east-1:111111111111:finding/plan" });
const inspector = inspectorSignal(planFinding);

describe("reactions in plan mode (signals.mode: plan)", () => {
  it("records the scans as planned in the trail, starts none, and remembers the event", async () => {
    const h = harness([computer()], PLAN);
    const outcome = await go(h, guardDuty());
    expect(outcome.status).toBe("planned");
    expect(h.tenant.log).toEqual(["lookup"]);
    const scans = h.audit.filter((e) => e.change === "recommendation-scan" || e.change === "integrity-scan");
    expect(scans.map((e) => [e.change, e.action, e.mode])).toEqual([
      ["recommendation-scan", "planned", "plan"],
      ["integrity-scan", "planned", "plan"],
    ]);
    expect((await go(h, guardDuty())).status).toBe("duplicate");
  });

  it("plans an Inspector event's assignment without making it, and stores the finding", async () => {
    const h = harness([computer()], PLAN);
    await go(h, inspector);
    expect(h.tenant.log).toEqual(["lookup", "rules"]);
    expect(h.audit.find((e) => e.change === "ips-rules")).toMatchObject({ action: "planned", ruleIds: [50] });
    expect(h.stored).toEqual([planFinding]);
  });

  it("still sends the not-protected notice (a mail changes nothing in a customer's system)", async () => {
    const h = harness([computer({ agentStatus: "inactive" })], PLAN);
    await go(h, guardDuty());
    expect(h.mail).toHaveLength(1);
  });

  it("--plan is a dry run whatever the mode: no trail, no notice, no stored finding", async () => {
    for (const options of [PLAN, {}]) {
      const h = harness([computer({ agentStatus: "inactive" })], options);
      await go(h, guardDuty(), true);
      await go(h, inspector, true);
      expect([h.audit, h.mail, h.stored]).toEqual([[], [], []]);
    }
  });

  it("in apply mode the same event makes the scans", async () => {
    const h = harness([computer()]);
    await go(h, guardDuty());
    expect(h.tenant.log).toEqual(["lookup", "recommendation", "result", "assign", "integrity"]);
  });
});

describe("an Inspector event that assigns nothing says why in the trail", () => {
  it("no covering rule: skipped with the coverage status", async () => {
    const h = harness([computer()]);
    await go(h, { ...inspector, cve: "CVE-2024-9", finding: { ...planFinding, vulnerabilityId: "CVE-2024-9" } });
    expect(h.tenant.log).toEqual(["lookup", "rules"]);
    expect(h.audit.find((e) => e.change === "ips-rules")).toMatchObject({
      action: "skipped",
      reason: expect.stringMatching(/^nothing to assign for CVE-2024-9: /),
    });
  });
});
