import { describe, expect, it } from "vitest";
import {
  parseHubConfig,
  WshubError,
  ERROR_CODES,
  type AuditEvent,
  type ClaimAnswer,
  type Finding,
  type OrgAccount,
  type OutgoingEmail,
  type SecuritySignal,
  type SignalStore,
  type SignalTenantApi,
  type WsComputer,
} from "@wshub/core";
import { react, type HubContext, type ReactDeps } from "../src/index.js";

/** Narrow fakes of the ports (the sandbox-backed path is test/e2e): a tenant that counts its calls. */
const ACCOUNT: OrgAccount = { id: "111111111111", name: "app", email: "", status: "ACTIVE", ouPath: [], tags: {} };

function config(assignment: Record<string, unknown> = { mode: "apply", allow: { accounts: [ACCOUNT.id] } }) {
  return parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    tenants: [{ name: "acme", apiKeySecret: "s", url: "http://ws.invalid/api" }],
    mapping: { defaultTenant: "acme" },
    reports: { sender: "wshub@example.com", centralRecipients: ["soc@example.com"] },
    assignment,
  });
}

class FakeTenant implements SignalTenantApi {
  readonly tenant = "acme";
  calls = 0;
  log: string[] = [];
  failScans = false;
  constructor(readonly fleet: WsComputer[]) {}
  private call(name: string) {
    this.calls++;
    this.log.push(name);
  }
  async computerForInstance(instanceId: string) {
    this.call("lookup");
    return this.fleet.find((c) => c.instanceId === instanceId);
  }
  async startScan(kind: "recommendation" | "integrity") {
    this.call(kind);
    if (this.failScans) throw new WshubError(ERROR_CODES.TENANT_UNREACHABLE, "tenant acme: down", { status: 503 });
    return 1;
  }
  async recommendations() {
    this.call("result");
    return { scannedAt: Date.now(), recommendedToAssignRuleIds: [50] };
  }
  async rulesForVulnerability(cve: string) {
    this.call("rules");
    return cve === "CVE-2024-1" ? [{ id: 50, identifier: "1011000", name: "r", cves: [cve], detectOnly: false }] : [];
  }
  async addRules(_t: unknown, ruleIds: number[]) {
    this.call("assign");
    return ruleIds;
  }
  async policies() {
    return [{ id: 2, name: "p" }];
  }
  async computers() {
    return this.fleet;
  }
  get writer() {
    const addRules = (t: unknown, ids: number[]) => this.addRules(t, ids);
    return {
      tenant: "acme",
      calls: 0,
      addRules,
      loadSnapshot: notUsed,
      loadComplianceFleet: notUsed,
      removeRule: notUsed,
      directRuleIds: notUsed,
    };
  }
}
const notUsed = async (): Promise<never> => {
  throw new Error("not used");
};

class MemorySignals implements SignalStore {
  events = new Map<string, "in-progress" | "done">();
  windows = new Set<string>();
  async claimEvent(key: { source: string; findingId: string; updatedAt: string }): Promise<ClaimAnswer> {
    const id = `${key.source}|${key.findingId}|${key.updatedAt}`;
    const state = this.events.get(id);
    if (state) return state;
    this.events.set(id, "in-progress");
    return "claimed";
  }
  async completeEvent(key: { source: string; findingId: string; updatedAt: string }) {
    this.events.set(`${key.source}|${key.findingId}|${key.updatedAt}`, "done");
  }
  async releaseEvent(key: { source: string; findingId: string; updatedAt: string }) {
    this.events.delete(`${key.source}|${key.findingId}|${key.updatedAt}`);
  }
  async claimWindow(kind: string, key: string) {
    if (this.windows.has(`${kind}|${key}`)) return false;
    this.windows.add(`${kind}|${key}`);
    return true;
  }
  async releaseWindow(kind: string, key: string) {
    this.windows.delete(`${kind}|${key}`);
  }
}

function harness(fleet: WsComputer[], assignment?: Record<string, unknown>) {
  const audit: AuditEvent[] = [];
  const mail: OutgoingEmail[] = [];
  const stored: Finding[] = [];
  const tenant = new FakeTenant(fleet);
  const ctx = {
    config: config(assignment),
    audit: {
      append: async (e: AuditEvent[]) => void audit.push(...e),
      query: async () => [],
      unresolvedIntents: async () => [],
    },
    findings: { put: async (f: Finding[]) => (stored.push(...f), f.length) },
    mailer: { send: async (m: OutgoingEmail) => (mail.push(m), { messageId: "m1" }) },
    identity: async () => ({ accountId: "000000000000", arn: "arn:aws:iam::000000000000:role/hub" }),
    clock: { now: () => new Date("2026-12-01T10:00:00Z") },
  } as unknown as HubContext;
  const signals = new MemorySignals();
  const deps: ReactDeps = {
    signals,
    openTenant: async () => tenant,
    bucketAccess: () => {
      throw new Error("not used");
    },
    organization: async () => ({ accounts: [ACCOUNT], organizationalUnits: [] }),
    composeNotice: async ({ text }) => ({ raw: Buffer.from(text) }),
    sleep: async () => {},
  };
  return { ctx, deps, tenant, audit, mail, stored, signals };
}

const computer = (fields: Partial<WsComputer> = {}): WsComputer => ({
  id: 7,
  hostName: "web",
  policyId: 2,
  instanceId: "i-1",
  awsAccountId: ACCOUNT.id,
  agentStatus: "active",
  ipsState: "prevent",
  integrityState: "real-time",
  ipsRuleIds: [],
  ...fields,
});

const guardDuty = (fields: Partial<SecuritySignal> = {}): SecuritySignal => ({
  source: "guardduty",
  findingId: "gd-1",
  updatedAt: "2026-12-01T09:59:00.000Z",
  accountId: ACCOUNT.id,
  region: "us-east-1",
  type: "Backdoor:EC2/C&CActivity.B!DNS",
  title: "C&C",
  severity: "HIGH",
  instanceIds: ["i-1"],
  ...fields,
});

const go = (h: ReturnType<typeof harness>, signal: SecuritySignal, plan = false) =>
  react(h.ctx, h.deps, { parsed: { ok: true, signal }, plan });

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
  const finding: Finding = {
    findingArn: "arn:aws:inspector2:us-east-1:111111111111:finding/abc",
    accountId: ACCOUNT.id,
    region: "us-east-1",
    type: "PACKAGE_VULNERABILITY",
    resourceType: "AWS_EC2_INSTANCE",
    resourceId: "i-1",
    vulnerabilityId: "CVE-2024-1",
    severity: "HIGH",
    status: "ACTIVE",
    packages: [],
    updatedAt: "2026-12-01T09:00:00.000Z",
  };
  const inspector: SecuritySignal = {
    ...guardDuty(),
    source: "inspector",
    findingId: finding.findingArn,
    type: "PACKAGE_VULNERABILITY",
    cve: "CVE-2024-1",
    finding,
  };

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
    const h = harness([computer()], { mode: "plan", allow: { accounts: [ACCOUNT.id] } });
    await go(h, inspector);
    expect(h.tenant.log).not.toContain("assign");
    expect(h.audit.find((e) => e.change === "ips-rules")?.action).toBe("planned");
  });
});
