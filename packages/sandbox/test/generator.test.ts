import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTenantIndex, evaluateUnit, normalizeVulnerabilityId, type CoverageStatus } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { RULES_PER_CVE, RULES_WITH_CVES } from "../src/generator/catalog.js";
import { CVSS_BANDS, severityOfCvss } from "../src/generator/cvss.js";
import { generateScenario, writeScenarioFile } from "../src/generator/index.js";
import type { ScenarioIpsRule, ScenarioTenant } from "../src/scenario/types.js";
import { loadScenarioFile, parseScenario } from "../src/scenario/load.js";

/** S with seed 42, generated once for the tests that only read it (a second or two each otherwise). */
let s42: ReturnType<typeof generateScenario> | undefined;
const generatedS42 = () => (s42 ??= generateScenario({ seed: 42, size: "S" }));

describe("scenario generator", () => {
  it("is deterministic: the same seed gives the same scenario, another seed another one", () => {
    const a = JSON.stringify(generateScenario({ seed: 7, size: "tiny" }).scenario);
    expect(JSON.stringify(generateScenario({ seed: 7, size: "tiny" }).scenario)).toBe(a);
    expect(JSON.stringify(generateScenario({ seed: 8, size: "tiny" }).scenario)).not.toBe(a);
  });

  it.each(["tiny", "S"] as const)(
    "makes a %s scenario that the schema and the reference checks accept, with exact totals",
    (size) => {
      const { scenario, facts } = size === "S" ? generatedS42() : generateScenario({ seed: 42, size });
      expect(() => parseScenario(JSON.parse(JSON.stringify(scenario)), size)).not.toThrow();
      expect(scenario.findings).toHaveLength(facts.findings);
      expect(Object.values(facts.findingsPerAccount).reduce((a, b) => a + b, 0)).toBe(facts.findings);
      expect(scenario.organization.accounts).toHaveLength(facts.accounts);
    },
  );

  it("produces the realistic shapes the sandbox must serve", () => {
    const { scenario, mapping } = generatedS42();
    const accounts = scenario.organization.accounts;
    const findings = scenario.findings;
    const tenants = scenario.workloadSecurity.tenants;
    const computers = tenants.flatMap((t) => t.computers);
    // Organization: nested OUs three deep and more, suspended accounts, missing member roles, an unmapped OU.
    const parent = new Map(scenario.organization.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
    const depth = (id: string): number => (id === "root" ? 0 : 1 + depth(parent.get(id) as string));
    expect(Math.max(...scenario.organization.organizationalUnits.map((ou) => depth(ou.id)))).toBeGreaterThanOrEqual(3);
    expect(accounts.some((a) => a.status === "SUSPENDED")).toBe(true);
    expect(accounts.some((a) => !a.memberRoleDeployed)).toBe(true);
    expect(accounts.some((a) => a.ouId === "ou-sb00-sandbox")).toBe(true);
    expect(Object.keys(mapping.organizationalUnits)).not.toContain("ou-sb00-sandbox");
    // Findings: duplicates across packages, suppressed and closed ones, other types and resources, non-CVE ids.
    const key = (f: (typeof findings)[number]) => `${f.resourceId}|${f.vulnerabilityId}`;
    const seen = new Map<string, Set<string>>();
    for (const f of findings) seen.set(key(f), (seen.get(key(f)) ?? new Set()).add(f.packageName ?? ""));
    expect([...seen.values()].some((packages) => packages.size > 1)).toBe(true);
    for (const status of ["ACTIVE", "SUPPRESSED", "CLOSED"])
      expect(findings.some((f) => f.status === status)).toBe(true);
    for (const type of ["PACKAGE_VULNERABILITY", "NETWORK_REACHABILITY", "CODE_VULNERABILITY"])
      expect(findings.some((f) => f.type === type)).toBe(true);
    for (const resource of ["AWS_EC2_INSTANCE", "AWS_ECR_CONTAINER_IMAGE", "AWS_LAMBDA_FUNCTION"])
      expect(findings.some((f) => f.resourceType === resource)).toBe(true);
    expect(findings.some((f) => /^(GHSA|ALAS)-/.test(f.vulnerabilityId))).toBe(true);
    // Catalog: a minority of the CVEs seen have a rule; rules without CVEs; detect-only; odd spellings; local ids.
    const seenCves = new Set(
      findings.filter((f) => f.vulnerabilityId.startsWith("CVE-")).map((f) => f.vulnerabilityId),
    );
    const ruled = new Set(tenants[0]!.ipsRules.flatMap((r) => r.cves.map((c) => c.trim().toUpperCase())));
    const share = [...seenCves].filter((c) => ruled.has(c)).length / seenCves.size;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.35);
    expect(tenants[0]!.ipsRules.some((r) => r.cves.length === 0)).toBe(true);
    expect(tenants[0]!.ipsRules.some((r) => r.detectOnly)).toBe(true);
    expect(tenants[0]!.ipsRules.some((r) => r.cves.some((c) => c !== c.trim().toUpperCase()))).toBe(true);
    expect(tenants[0]!.ipsRules[0]!.id).not.toBe(tenants[1]!.ipsRules[0]!.id);
    expect(tenants[0]!.ipsRules[0]!.identifier).toBe(tenants[1]!.ipsRules[0]!.identifier);
    // Fleet: policies three deep with detect and off, agents missing, via the agent only, duplicates, statuses mixed.
    expect(tenants[0]!.policies.some((p) => p.ipsState === "detect")).toBe(true);
    expect(tenants[0]!.policies.some((p) => p.ipsState === "off")).toBe(true);
    const withAgent = new Set(computers.map((c) => c.ec2?.instanceId).filter(Boolean));
    expect(scenario.instances.some((i) => !withAgent.has(i.instanceId))).toBe(true);
    expect(computers.some((c) => c.ec2 && !c.ec2.viaConnector)).toBe(true);
    expect(new Set(computers.map((c) => c.agentStatus)).size).toBeGreaterThanOrEqual(4);
    expect(computers.some((c) => c.ipsRuleIds.length > 0)).toBe(true);
  });

  it("makes a catalog shaped like the vendor's: one rule for most CVEs, CVSS scores, severities that match", () => {
    const rules = generatedS42().scenario.workloadSecurity.tenants[0]!.ipsRules;
    const withCves = rules.filter((r) => r.cves.length > 0);
    // Tolerances: S has 3,000 rules, about 2,200 CVEs: a share is within ±0.05 (toBeCloseTo(x, 1)).
    expect(withCves.length / rules.length).toBeCloseTo(RULES_WITH_CVES, 1);
    const perCve = rulesByCve(withCves);
    const counts = [...perCve.values()].map((listing) => listing.length);
    for (const { rules: n, share } of RULES_PER_CVE)
      expect(counts.filter((c) => c === n).length / counts.length).toBeCloseTo(share, 1);
    expect(Math.max(...counts)).toBe(3);
    for (const rule of withCves) expect(rule.severity).toBe(severityOfCvss(rule.cvssScore ?? -1));
    // A CVE has one CVSS score, whichever of its rules carries it.
    const scores = [...perCve.values()].map((listing) => [...new Set(listing.map((r) => r.cvssScore))]);
    expect(scores.every((distinct) => distinct.length === 1)).toBe(true);
    const bands = scores.map(([score]) => severityOfCvss(score ?? -1));
    for (const [severity, { share }] of Object.entries(CVSS_BANDS))
      expect(bands.filter((b) => b === severity).length / bands.length).toBeCloseTo(share, 1);
    expect(rules.filter((r) => r.cves.length === 0).every((r) => r.cvssScore === undefined)).toBe(true);
  });

  it("leaves most CVEs on agent-carrying instances without a rule, so coverage still finds no-rule units", () => {
    const { scenario } = generatedS42();
    const statuses = new Map<CoverageStatus, number>();
    for (const tenant of scenario.workloadSecurity.tenants) {
      const index = buildTenantIndex(snapshotOf(tenant));
      for (const f of scenario.findings) {
        if (f.status !== "ACTIVE" || f.type !== "PACKAGE_VULNERABILITY" || !index.computersByInstance.has(f.resourceId))
          continue;
        const unit = {
          accountId: f.accountId,
          region: f.region,
          instanceId: f.resourceId,
          vulnerabilityId: f.vulnerabilityId,
          severity: f.severity,
          packages: [],
          findingArns: [f.findingArn],
        };
        const status = evaluateUnit(unit, "account", index).coverage;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect((statuses.get("no-rule") ?? 0) / total).toBeGreaterThan(0.5);
    expect(statuses.get("rule-available") ?? 0).toBeGreaterThan(0);
  });

  it("streams a scenario to a file that loads back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wshub-gen-"));
    try {
      const { scenario } = generateScenario({ seed: 3, size: "S" });
      const path = join(dir, "s.json");
      await writeScenarioFile(scenario, path);
      expect(statSync(path).size).toBeGreaterThan(1_000_000);
      expect(loadScenarioFile(path).findings).toHaveLength(scenario.findings.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function rulesByCve(rules: ScenarioIpsRule[]): Map<string, ScenarioIpsRule[]> {
  const byCve = new Map<string, ScenarioIpsRule[]>();
  for (const rule of rules)
    for (const cve of rule.cves)
      byCve.set(normalizeVulnerabilityId(cve), [...(byCve.get(normalizeVulnerabilityId(cve)) ?? []), rule]);
  return byCve;
}

/** The tenant as wshub reads it: rules, and computers with their own rules (enough for no-rule / rule-available). */
function snapshotOf(tenant: ScenarioTenant) {
  return {
    tenant: tenant.name,
    rules: tenant.ipsRules.map((r) => ({
      id: r.id,
      identifier: r.identifier,
      name: r.name,
      cves: r.cves,
      detectOnly: r.detectOnly,
    })),
    computers: tenant.computers.flatMap((c) =>
      c.ec2
        ? [
            {
              id: c.id,
              hostName: c.hostName,
              policyId: c.policyId,
              instanceId: c.ec2.instanceId,
              ipsRuleIds: c.ipsRuleIds,
            },
          ]
        : [],
    ),
    fetchedAt: "2026-11-16T09:00:00Z",
  };
}
