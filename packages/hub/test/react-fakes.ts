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
export const ACCOUNT: OrgAccount = {
  id: "111111111111",
  name: "app",
  email: "",
  status: "ACTIVE",
  ouPath: [],
  tags: {},
};

export interface HarnessOptions {
  assignment?: Record<string, unknown>;
  signals?: Record<string, unknown>;
}

function config(options: HarnessOptions) {
  const assignment = options.assignment ?? { mode: "apply", allow: { accounts: [ACCOUNT.id] } };
  return parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    tenants: [{ name: "acme", apiKeySecret: "s", url: "http://ws.invalid/api" }],
    mapping: { defaultTenant: "acme" },
    reports: { sender: "wshub@example.com", centralRecipients: ["soc@example.com"] },
    assignment,
    ...(options.signals ? { signals: options.signals } : {}),
  });
}

export class FakeTenant implements SignalTenantApi {
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

export class MemorySignals implements SignalStore {
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

export function harness(fleet: WsComputer[], options: HarnessOptions = {}) {
  const audit: AuditEvent[] = [];
  const mail: OutgoingEmail[] = [];
  const stored: Finding[] = [];
  const tenant = new FakeTenant(fleet);
  const ctx = {
    config: config(options),
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

export const computer = (fields: Partial<WsComputer> = {}): WsComputer => ({
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

export const guardDuty = (fields: Partial<SecuritySignal> = {}): SecuritySignal => ({
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

/** An Inspector finding on i-1 (the fleet's one computer) for a CVE the fake tenant's rule covers. */
export const inspectorFinding = (fields: Partial<Finding> = {}): Finding => ({
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
  ...fields,
});

/** The Inspector signal of that finding. */
export const inspectorSignal = (finding: Finding = inspectorFinding()): SecuritySignal => ({
  ...guardDuty(),
  source: "inspector",
  findingId: finding.findingArn,
  type: "PACKAGE_VULNERABILITY",
  ...(finding.vulnerabilityId ? { cve: finding.vulnerabilityId } : {}),
  finding,
});

export const go = (h: ReturnType<typeof harness>, signal: SecuritySignal, plan = false) =>
  react(h.ctx, h.deps, { parsed: { ok: true, signal }, plan });
