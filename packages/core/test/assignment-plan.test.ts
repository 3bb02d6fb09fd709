import { describe, expect, it } from "vitest";
import {
  assignmentModeFor,
  buildTenantIndex,
  evaluateCoverage,
  groupCoverageUnits,
  parseHubConfig,
  planAssignments,
  type Finding,
  type OrgAccount,
  type TenantSnapshot,
} from "../src/index.js";

const settings = (assignment: Record<string, unknown>) =>
  parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    reports: { sender: "a@b.co" },
    assignment,
  }).assignment;

const account = (id: string, ou = "ou-app"): OrgAccount => ({
  id,
  name: id,
  email: "",
  status: "ACTIVE",
  ouPath: [
    { id: "ou-prod", name: "Prod" },
    { id: ou, name: ou },
  ],
  tags: { Team: id === "111111111111" ? "blue" : "red" },
});

const finding = (accountId: string, instance: string, cve: string): Finding => ({
  findingArn: `arn:${accountId}:${instance}:${cve}`,
  accountId,
  region: "us-east-1",
  type: "PACKAGE_VULNERABILITY",
  resourceType: "AWS_EC2_INSTANCE",
  resourceId: instance,
  vulnerabilityId: cve,
  severity: "HIGH",
  status: "ACTIVE",
  packages: [],
  updatedAt: "2026-11-16T00:00:00Z",
});

// Policy 1 (root) → 2 → 3. Computers: 10 on 3 (account 1), 11 on 2 (account 1), 12 on 1 (account 2), 13 inactive.
const snapshot: TenantSnapshot = {
  tenant: "t",
  fetchedAt: "",
  rules: [
    { id: 100, identifier: "1000100", name: "r100", cves: ["CVE-1"], detectOnly: false },
    { id: 101, identifier: "1000101", name: "r101", cves: ["CVE-1"], detectOnly: true },
    { id: 102, identifier: "1000102", name: "r102", cves: ["CVE-2"], detectOnly: true },
  ],
  computers: [
    {
      id: 10,
      hostName: "a",
      policyId: 3,
      instanceId: "i-a",
      awsAccountId: "111111111111",
      agentStatus: "active",
      ipsState: "prevent",
      ipsRuleIds: [],
    },
    {
      id: 11,
      hostName: "b",
      policyId: 2,
      instanceId: "i-b",
      awsAccountId: "111111111111",
      agentStatus: "warning",
      ipsState: "prevent",
      ipsRuleIds: [],
    },
    {
      id: 12,
      hostName: "c",
      policyId: 1,
      instanceId: "i-c",
      awsAccountId: "222222222222",
      agentStatus: "active",
      ipsState: "prevent",
      ipsRuleIds: [],
    },
    {
      id: 13,
      hostName: "d",
      policyId: 3,
      instanceId: "i-d",
      awsAccountId: "111111111111",
      agentStatus: "inactive",
      ipsState: "prevent",
      ipsRuleIds: [],
    },
  ],
  policies: [
    { id: 1, name: "Base" },
    { id: 2, name: "Linux", parentId: 1 },
    { id: 3, name: "Web", parentId: 2 },
  ],
};
const index = buildTenantIndex(snapshot);
const accounts = new Map([account("111111111111"), account("222222222222", "ou-other")].map((a) => [a.id, a]));
const rows = [
  ...evaluateCoverage(
    groupCoverageUnits([
      finding("111111111111", "i-a", "CVE-1"),
      finding("111111111111", "i-a", "CVE-2"),
      finding("111111111111", "i-b", "CVE-1"),
      finding("111111111111", "i-d", "CVE-1"),
    ]),
    { id: "111111111111", name: "one" },
    index,
  ),
  ...evaluateCoverage(
    groupCoverageUnits([finding("222222222222", "i-c", "CVE-1")]),
    { id: "222222222222", name: "two" },
    index,
  ),
];

describe("assignmentModeFor", () => {
  it("lets the account win over the deepest OU, the OU over the tenant, the tenant over the default", () => {
    const s = settings({
      mode: "off",
      accountModes: { "111111111111": "apply" },
      organizationalUnitModes: { "ou-prod": "plan", "ou-app": "apply" },
    });
    expect(assignmentModeFor(account("111111111111"), "off", s)).toBe("apply");
    expect(assignmentModeFor(account("333333333333"), "off", s)).toBe("apply");
    expect(assignmentModeFor(account("333333333333", "ou-x"), "off", s)).toBe("plan");
    expect(assignmentModeFor({ ...account("333333333333"), ouPath: [] }, "plan", s)).toBe("plan");
    expect(assignmentModeFor({ ...account("333333333333"), ouPath: [] }, undefined, s)).toBe("off");
  });
});

describe("planAssignments", () => {
  const plan = (assignment: Record<string, unknown>) => {
    const s = settings(assignment);
    return planAssignments({
      tenant: "t",
      rows,
      index,
      policies: snapshot.policies!,
      accounts,
      modeFor: (a) => assignmentModeFor(a, undefined, s),
      settings: s,
    });
  };

  it("with target computer: one change per computer with every preventing covering rule; inactive agents and allow-list honoured", () => {
    const result = plan({ mode: "apply", target: "computer", allow: { accounts: ["111111111111"] } });
    expect(result.changes.map((c) => [c.changeKey, c.ruleIds, c.instances.map((i) => i.vulnerabilityIds)])).toEqual([
      ["computer-10", [100, 102], [["CVE-1", "CVE-2"]]],
      ["computer-11", [100], [["CVE-1"]]],
    ]);
    expect(result.skipped.map((s) => [s.row.instanceId, s.kind])).toEqual([
      ["i-d", "agent-not-active"],
      ["i-c", "not-allowed"],
    ]);
  });

  it("with target policy: names every other computer and account below the policy, and blocks a change that reaches an account outside the allow-list", () => {
    const result = plan({ mode: "apply", target: "policy", allow: { tags: { Team: ["blue", "red"] } } });
    const base = result.changes.find((c) => c.changeKey === "policy-1")!;
    expect(base.alsoAffects).toEqual({ computerIds: [10, 11, 13], accountIds: ["111111111111"] });
    expect(base.blockedReason).toBeUndefined();
    const restricted = plan({ mode: "apply", target: "policy", allow: { accounts: ["222222222222"] } });
    expect(restricted.changes.find((c) => c.changeKey === "policy-1")!.blockedReason).toMatch(
      /outside the allow-list: 111111111111/,
    );
  });

  it("applies a change only for accounts in apply mode, and skips rows whose rule became effective", () => {
    const mixed = plan({
      mode: "plan",
      accountModes: { "222222222222": "apply" },
      target: "policy",
      allow: { organizationalUnits: ["ou-prod"] },
    });
    expect(mixed.changes.map((c) => [c.changeKey, c.mode])).toEqual([
      ["policy-1", "apply"],
      ["policy-2", "plan"],
      ["policy-3", "plan"],
    ]);
    const live = buildTenantIndex({
      ...snapshot,
      computers: snapshot.computers.map((c) => (c.id === 11 ? { ...c, ipsRuleIds: [100] } : c)),
    });
    const s = settings({ mode: "apply", target: "computer", allow: { accounts: ["111111111111"] } });
    const again = planAssignments({
      tenant: "t",
      rows,
      index: live,
      policies: snapshot.policies!,
      accounts,
      modeFor: () => "apply",
      settings: s,
    });
    expect(again.skipped.find((x) => x.row.instanceId === "i-b")?.kind).toBe("already-effective");
  });
});
