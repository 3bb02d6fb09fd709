import { describe, expect, it } from "vitest";
import {
  guardDutySeverity,
  idempotencyKeyOf,
  parseHubConfig,
  planInspectorAssignment,
  planReaction,
  protectionOf,
  signalRef,
  typeFamily,
  type Finding,
  type OrgAccount,
  type SecuritySignal,
  type WsComputer,
} from "../src/index.js";

const config = (extra: Record<string, unknown> = {}) =>
  parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    reports: { sender: "a@b.co" },
    ...extra,
  });
const settings = config().signals;

const account: OrgAccount = { id: "111111111111", name: "app", email: "", status: "ACTIVE", ouPath: [], tags: {} };

const computer = (fields: Partial<WsComputer> = {}): WsComputer => ({
  id: 7,
  hostName: "web",
  policyId: 2,
  instanceId: "i-1",
  agentStatus: "active",
  ipsState: "prevent",
  integrityState: "real-time",
  ipsRuleIds: [],
  ...fields,
});

const signal = (fields: Partial<SecuritySignal> = {}): SecuritySignal => ({
  source: "guardduty",
  findingId: "f1",
  updatedAt: "2026-12-01T10:00:00.000Z",
  accountId: account.id,
  region: "us-east-1",
  type: "Backdoor:EC2/C&CActivity.B!DNS",
  title: "t",
  severity: "HIGH",
  instanceIds: ["i-1"],
  ...fields,
});

const plan = (s: SecuritySignal, computers: WsComputer[] = [computer()], extra: { tenant?: string | null } = {}) =>
  planReaction({
    signal: s,
    account: s.accountId === account.id ? account : undefined,
    tenant: extra.tenant === undefined ? "acme" : extra.tenant,
    instanceIds: s.instanceIds,
    computers: new Map(computers.map((c) => [c.instanceId ?? "", c])),
    settings,
  });

describe("signal", () => {
  it("keys idempotency on source, finding and update, and carries the audit reference", () => {
    expect(idempotencyKeyOf(signal())).toEqual({ source: "guardduty", findingId: "f1", updatedAt: signal().updatedAt });
    expect(signalRef(signal())).toMatchObject({ source: "guardduty", findingId: "f1", type: signal().type });
  });
  it("matches GuardDuty types by family, the part before the first slash", () => {
    expect(typeFamily("Backdoor:EC2/C&CActivity.B!DNS")).toBe("Backdoor:EC2");
    expect(typeFamily("Recon:EC2")).toBe("Recon:EC2");
  });
  it("bands GuardDuty severities", () => {
    expect([guardDutySeverity(2), guardDutySeverity(5), guardDutySeverity(8), guardDutySeverity(9.5)]).toEqual([
      "LOW",
      "MEDIUM",
      "HIGH",
      "CRITICAL",
    ]);
  });
});

describe("protection", () => {
  it("needs a computer, a running agent and IPS on", () => {
    expect(protectionOf(undefined)).toMatchObject({ protected: false, reason: "no-computer" });
    expect(protectionOf(computer({ agentStatus: "inactive" }))).toMatchObject({ reason: "agent-inactive" });
    expect(protectionOf(computer({ agentStatus: "error" }))).toMatchObject({ reason: "agent-inactive" });
    expect(protectionOf(computer({ ipsState: "off" }))).toMatchObject({ reason: "ips-off" });
    expect(protectionOf(computer({ ipsState: undefined }))).toMatchObject({ reason: "ips-off" });
    expect(protectionOf(computer({ agentStatus: "warning", ipsState: "detect" }))).toMatchObject({ protected: true });
  });
});

describe("planReaction", () => {
  it("scans a protected instance, with an integrity scan where integrity monitoring is on", () => {
    const result = plan(signal());
    expect(result).toMatchObject({ kind: "act", tenant: "acme", steps: [{ kind: "scan", integrity: "scan" }] });
  });
  it("records integrity as cannot-verify where the module is off", () => {
    const result = plan(signal(), [computer({ integrityState: "off" })]);
    expect(result).toMatchObject({ steps: [{ kind: "scan", integrity: "cannot-verify" }] });
  });
  it("notifies for an unprotected instance, saying why", () => {
    const result = plan(signal({ instanceIds: ["i-1", "i-2"] }), [computer({ ipsState: "off" })]);
    expect(result).toMatchObject({
      steps: [
        { kind: "notify", instanceId: "i-1", reason: "ips-off" },
        { kind: "notify", instanceId: "i-2", reason: "no-computer" },
      ],
    });
  });
  it("rejects with a reason: outside the organization, no tenant, ignored type, no instance", () => {
    expect(plan(signal({ accountId: "999999999999" }))).toMatchObject({ rejection: { reason: "not-in-organization" } });
    expect(plan(signal(), [], { tenant: null })).toMatchObject({ rejection: { reason: "no-tenant" } });
    expect(plan(signal({ type: "Policy:S3/BucketPublic" }))).toMatchObject({ rejection: { reason: "type-ignored" } });
    expect(plan(signal({ instanceIds: [] }))).toMatchObject({ rejection: { reason: "no-instance" } });
  });
  it("assigns for an Inspector finding on a protected instance; a closed finding is rejected", () => {
    const inspector = signal({ source: "inspector", type: "PACKAGE_VULNERABILITY", cve: "CVE-2024-1" });
    expect(plan(inspector)).toMatchObject({ steps: [{ kind: "assign", cve: "CVE-2024-1" }] });
    const closed = { ...inspector, finding: { ...finding(), status: "CLOSED" as const } };
    expect(plan(closed)).toMatchObject({ rejection: { reason: "finding-closed" } });
  });
});

function finding(): Finding {
  return {
    findingArn: "arn:aws:inspector2:us-east-1:111111111111:finding/abc",
    accountId: account.id,
    region: "us-east-1",
    type: "PACKAGE_VULNERABILITY",
    resourceType: "AWS_EC2_INSTANCE",
    resourceId: "i-1",
    vulnerabilityId: "CVE-2024-1",
    severity: "HIGH",
    status: "ACTIVE",
    packages: [],
    updatedAt: "2026-12-01T10:00:00.000Z",
  };
}

describe("planInspectorAssignment", () => {
  const rule = { id: 50, identifier: "1011000", name: "r", cves: ["CVE-2024-1"], detectOnly: false };
  const base = {
    tenant: "acme",
    finding: finding(),
    account,
    organization: [account],
    coveringRules: [rule],
    policies: [{ id: 2, name: "p" }],
    tenantMode: undefined,
  };
  const assignment = (extra: Record<string, unknown>) => config({ assignment: extra }).assignment;

  it("plans the covering rule on the computer's policy through the planner's modes and allow-list", () => {
    const { rows, plan: result } = planInspectorAssignment({
      ...base,
      computers: [computer()],
      settings: assignment({ mode: "apply", allow: { accounts: [account.id] } }),
    });
    expect(rows[0]?.coverage).toBe("rule-available");
    expect(result.changes).toMatchObject([{ mode: "apply", target: { kind: "policy", id: 2 }, ruleIds: [50] }]);
  });
  it("skips when the rule is already effective, and when the account is not allowed", () => {
    const effective = planInspectorAssignment({
      ...base,
      computers: [computer({ ipsRuleIds: [50] })],
      settings: assignment({ mode: "apply", allow: { accounts: [account.id] } }),
    });
    expect(effective.rows[0]?.coverage).toBe("protected");
    expect(effective.plan.changes).toEqual([]);
    const denied = planInspectorAssignment({
      ...base,
      computers: [computer()],
      settings: assignment({ mode: "apply" }),
    });
    expect(denied.plan.skipped).toMatchObject([{ kind: "not-allowed" }]);
  });
  it("blocks a policy change that reaches an account outside the allow-list", () => {
    const other = computer({ id: 8, instanceId: "i-9", awsAccountId: "222222222222" });
    const { plan: result } = planInspectorAssignment({
      ...base,
      computers: [computer(), other],
      settings: assignment({ mode: "apply", allow: { accounts: [account.id] } }),
    });
    expect(result.changes[0]?.blockedReason).toContain("222222222222");
  });
});
