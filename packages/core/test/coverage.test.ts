import { describe, expect, it } from "vitest";
import {
  buildTenantIndex,
  evaluateCoverage,
  groupCoverageUnits,
  ipsRulesCell,
  type Finding,
  type TenantSnapshot,
  type WsComputer,
} from "../src/index.js";

function finding(overrides: Partial<Finding>): Finding {
  return {
    findingArn: `arn:aws:inspector2:us-east-1:333333333333:finding/${Math.random().toString(16).slice(2)}`,
    accountId: "333333333333",
    region: "us-east-1",
    type: "PACKAGE_VULNERABILITY",
    resourceType: "AWS_EC2_INSTANCE",
    resourceId: "i-1",
    vulnerabilityId: "CVE-2024-0001",
    severity: "MEDIUM",
    status: "ACTIVE",
    packages: [{ name: "openssl", version: "1.0" }],
    updatedAt: "2026-11-16T09:00:00.000Z",
    ...overrides,
  };
}

const computer = (overrides: Partial<WsComputer>): WsComputer => ({
  id: 1,
  hostName: "host",
  policyId: 1,
  instanceId: "i-1",
  agentStatus: "active",
  ipsState: "prevent",
  ipsRuleIds: [],
  ...overrides,
});

const snapshot = (computers: WsComputer[]): TenantSnapshot => ({
  tenant: "t",
  fetchedAt: "2026-11-25T00:00:00Z",
  rules: [
    { id: 10, identifier: "1000010", name: "r10", cves: ["CVE-2024-0001"], detectOnly: false },
    { id: 11, identifier: "1000002", name: "r11", cves: [" cve-2024-0001 ", "CVE-2024-0002"], detectOnly: true },
  ],
  computers,
});

const account = { id: "333333333333", name: "payments" };

describe("groupCoverageUnits", () => {
  it("merges packages of one vulnerability on one instance and keeps the highest severity", () => {
    const units = groupCoverageUnits([
      finding({ severity: "LOW", packages: [{ name: "openssl" }] }),
      finding({ severity: "HIGH", packages: [{ name: "libssl3" }] }),
    ]);
    expect(units).toHaveLength(1);
    expect(units[0]?.severity).toBe("HIGH");
    expect(units[0]?.packages).toEqual(["openssl", "libssl3"]);
    expect(units[0]?.findingArns).toHaveLength(2);
  });

  it("leaves out suppressed, closed, non-package and non-EC2 findings", () => {
    const units = groupCoverageUnits([
      finding({ status: "SUPPRESSED" }),
      finding({ status: "CLOSED" }),
      finding({ type: "NETWORK_REACHABILITY" }),
      finding({ resourceType: "AWS_ECR_CONTAINER_IMAGE" }),
    ]);
    expect(units).toEqual([]);
  });
});

describe("evaluateCoverage", () => {
  const units = groupCoverageUnits([finding({})]);

  it("is no-tenant without a tenant", () => {
    const [row] = evaluateCoverage(units, account, null);
    expect(row?.coverage).toBe("no-tenant");
    expect(ipsRulesCell(row!)).toBe("");
  });

  it("is no-agent when no computer carries the instance, and still names the covering rules", () => {
    const [row] = evaluateCoverage(units, account, buildTenantIndex(snapshot([])));
    expect(row?.coverage).toBe("no-agent");
    expect(ipsRulesCell(row!)).toBe("1000002 1000010");
  });

  it("is no-rule when no rule lists the vulnerability", () => {
    const other = groupCoverageUnits([finding({ vulnerabilityId: "GHSA-xxxx" })]);
    const [row] = evaluateCoverage(other, account, buildTenantIndex(snapshot([computer({})])));
    expect(row?.coverage).toBe("no-rule");
  });

  it("is rule-available when no covering rule is effective", () => {
    const [row] = evaluateCoverage(units, account, buildTenantIndex(snapshot([computer({ ipsRuleIds: [99] })])));
    expect(row?.coverage).toBe("rule-available");
  });

  it.each([
    [{ ipsState: "off" as const }, "inactive"],
    [{ agentStatus: "error" as const }, "inactive"],
    [{ agentStatus: "not-supported" as const }, "inactive"],
    [{ ipsState: undefined }, "inactive"],
    [{ ipsState: "detect" as const }, "detect-only"],
    [{ agentStatus: "warning" as const }, "protected"],
  ])("with %o is %s", (overrides, status) => {
    const [row] = evaluateCoverage(
      units,
      account,
      buildTenantIndex(snapshot([computer({ ipsRuleIds: [10], ...overrides })])),
    );
    expect(row?.coverage).toBe(status);
  });

  it("is detect-only when every effective covering rule is detect-only", () => {
    const [row] = evaluateCoverage(units, account, buildTenantIndex(snapshot([computer({ ipsRuleIds: [11] })])));
    expect(row?.coverage).toBe("detect-only");
    expect(row?.effectiveRuleIds).toEqual([11]);
  });

  it("uses the computer with the most recent agent communication and says so", () => {
    const index = buildTenantIndex(
      snapshot([
        computer({ id: 1, ipsRuleIds: [], lastAgentCommunication: 1000 }),
        computer({ id: 2, ipsRuleIds: [10], lastAgentCommunication: 2000 }),
      ]),
    );
    const [row] = evaluateCoverage(units, account, index);
    expect(row?.coverage).toBe("protected");
    expect(row?.computer?.id).toBe(2);
    expect(row?.note).toMatch(/2 computers carry this instance id/);
  });
});
