import { describe, expect, it } from "vitest";
import { react } from "../src/index.js";
import { ACCOUNT, computer, go, guardDuty, harness, inspectorFinding, inspectorSignal } from "./react-fakes.js";

describe("react (GuardDuty)", () => {
  it("scans a protected instance, applies the recommendations, runs an integrity scan: 5 calls, all audited with the finding", async () => {
    const h = harness([computer()]);
    const outcome = await go(h, guardDuty());
    expect(outcome.status).toBe("acted");
    expect(h.tenant.log).toEqual(["lookup", "recommendation", "result", "assign", "integrity"]);
    expect(outcome.calls).toBe(5);
    const applied = h.audit.filter((e) => e.action === "applied").map((e) => e.change);
    expect(applied).toEqual(["recommendation-scan", "ips-rules", "integrity-scan"]);
    expect(h.audit.every((e) => e.signal?.findingId === "gd-1")).toBe(true);
    expect(h.audit.find((e) => e.change === "ips-rules" && e.action === "intent")).toMatchObject({
      targetKind: "policy",
      targetId: 2,
      ruleIds: [50],
    });
  });

  it("acts once for a duplicate delivery and once per computer for a burst", async () => {
    const h = harness([computer()]);
    await go(h, guardDuty());
    expect((await go(h, guardDuty())).status).toBe("duplicate");
    const later = await go(h, guardDuty({ findingId: "gd-2" }));
    expect(later.events.find((e) => e.change === "recommendation-scan")?.reason).toMatch(/^coalesced/);
    expect(h.tenant.log.filter((c) => c === "recommendation")).toHaveLength(1);
  });

  it("records cannot verify where integrity monitoring is off", async () => {
    const h = harness([computer({ integrityState: "off" })]);
    await go(h, guardDuty());
    expect(h.tenant.log).not.toContain("integrity");
    expect(h.audit.find((e) => e.change === "integrity-scan")).toMatchObject({
      action: "skipped",
      reason: expect.stringMatching(/^cannot verify/),
    });
  });

  it("mails the account's recipients and the central team when the instance is not protected", async () => {
    const h = harness([computer({ agentStatus: "inactive" })]);
    await go(h, guardDuty());
    expect(h.mail).toHaveLength(1);
    expect(h.mail[0]?.to).toEqual(["soc@example.com"]);
    expect(h.mail[0]?.raw.toString()).toContain("i-1");
    expect(h.audit.find((e) => e.change === "notice" && e.action === "applied")).toBeTruthy();
  });

  it("rejects an event of no known shape, and one outside the organization, with the reason", async () => {
    const h = harness([computer()]);
    const bad = await react(h.ctx, h.deps, {
      parsed: { ok: false, rejection: { reason: "unknown-shape", detail: "x" } },
      plan: false,
    });
    expect(bad.status).toBe("rejected");
    const outside = await go(h, guardDuty({ accountId: "999999999999" }));
    expect(outside.rejection?.reason).toBe("not-in-organization");
    expect(h.audit.filter((e) => e.action === "rejected")).toHaveLength(2);
  });

  it("on an outage records the failure, releases its claims and throws, so the retry acts", async () => {
    const h = harness([computer()]);
    h.tenant.failScans = true;
    await expect(go(h, guardDuty())).rejects.toThrow(/down/);
    expect(h.audit.find((e) => e.action === "failed")).toMatchObject({ change: "recommendation-scan" });
    expect(h.signals.events.size).toBe(0);
    expect(h.signals.windows.size).toBe(0);
    h.tenant.failScans = false;
    expect((await go(h, guardDuty())).status).toBe("acted");
  });

  it("with --plan changes nothing", async () => {
    const h = harness([computer()]);
    const outcome = await go(h, guardDuty(), true);
    expect(outcome.status).toBe("planned");
    expect(h.tenant.log).toEqual(["lookup"]);
    expect(h.audit).toEqual([]);
  });
});

describe("react (Inspector)", () => {
  const finding = inspectorFinding();
  const inspector = inspectorSignal(finding);

  it("stores the finding and assigns the covering rule to the instance's policy, audited with the finding", async () => {
    const h = harness([computer()]);
    await go(h, inspector);
    expect(h.stored).toEqual([finding]);
    expect(h.tenant.log).toEqual(["lookup", "rules", "assign"]);
    const applied = h.audit.find((e) => e.action === "applied");
    expect(applied).toMatchObject({
      change: "ips-rules",
      targetKind: "policy",
      targetId: 2,
      ruleIds: [50],
      cves: ["CVE-2024-1"],
    });
    expect(applied?.signal?.findingId).toBe(finding.findingArn);
  });

  it("only plans where the account's mode is plan", async () => {
    const h = harness([computer()], { assignment: { mode: "plan", allow: { accounts: [ACCOUNT.id] } } });
    await go(h, inspector);
    expect(h.tenant.log).not.toContain("assign");
    expect(h.audit.find((e) => e.change === "ips-rules")?.action).toBe("planned");
  });
});
