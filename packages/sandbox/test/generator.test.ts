import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateScenario, writeScenarioFile } from "../src/generator/index.js";
import { loadScenarioFile, parseScenario } from "../src/scenario/load.js";

describe("scenario generator", () => {
  it("is deterministic: the same seed gives the same scenario, another seed another one", () => {
    const a = JSON.stringify(generateScenario({ seed: 7, size: "tiny" }).scenario);
    expect(JSON.stringify(generateScenario({ seed: 7, size: "tiny" }).scenario)).toBe(a);
    expect(JSON.stringify(generateScenario({ seed: 8, size: "tiny" }).scenario)).not.toBe(a);
  });

  it.each(["tiny", "S"] as const)(
    "makes a %s scenario that the schema and the reference checks accept, with exact totals",
    (size) => {
      const { scenario, facts } = generateScenario({ seed: 42, size });
      expect(() => parseScenario(JSON.parse(JSON.stringify(scenario)), size)).not.toThrow();
      expect(scenario.findings).toHaveLength(facts.findings);
      expect(Object.values(facts.findingsPerAccount).reduce((a, b) => a + b, 0)).toBe(facts.findings);
      expect(scenario.organization.accounts).toHaveLength(facts.accounts);
    },
  );

  it("produces the realistic shapes the sandbox must serve", () => {
    const { scenario, mapping } = generateScenario({ seed: 42, size: "S" });
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
