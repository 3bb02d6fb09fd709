/**
 * The knobs of a generated scenario. Sizes (the benchmark plan): S = 10 accounts and 5,000 findings; M = 100 accounts,
 * 200,000 findings, 10,000 IPS rules and 2,000 computers a tenant; L = 1,000 accounts and 2,000,000 findings.
 * Choices where the plan is silent: about 40 findings an instance (so M has ~5,000 instances), 10 % of instances with
 * no finding, 85 % of instances with an agent, a CVE universe of one distinct id per 20 findings, IPS rules covering
 * about 20 % of it, three tenants from M up, a web tier in 30 % of the accounts with instances.
 */
export interface GeneratorShape {
  accounts: number;
  tenants: number;
  findings: number;
  rulesPerTenant: number;
  /** At least this many computers a tenant (instances with agents, padded with computers that are not EC2 instances). */
  computersPerTenant: number;
  findingsPerInstance: number;
  /** Share of a tenant's instances that run an agent. */
  agentCoverage: number;
  /** Share of the distinct vulnerability ids in findings that some IPS rule lists. */
  ruleCoverage: number;
  regions: string[];
  /** Share of the accounts with instances that have a web tier (ALBs, WebACLs, distributions; WAF coverage). */
  webTierShare: number;
}

export type ScenarioSize = "tiny" | "S" | "M" | "L";

const base = {
  findingsPerInstance: 40,
  agentCoverage: 0.85,
  ruleCoverage: 0.2,
  regions: ["us-east-1"],
  webTierShare: 0.3,
};

export const SIZE_PRESETS: Record<ScenarioSize, GeneratorShape> = {
  tiny: {
    ...base,
    accounts: 8,
    tenants: 2,
    findings: 400,
    rulesPerTenant: 300,
    computersPerTenant: 12,
    findingsPerInstance: 8,
  },
  S: { ...base, accounts: 10, tenants: 2, findings: 5_000, rulesPerTenant: 3_000, computersPerTenant: 80 },
  M: { ...base, accounts: 100, tenants: 3, findings: 200_000, rulesPerTenant: 10_000, computersPerTenant: 2_000 },
  L: { ...base, accounts: 1_000, tenants: 5, findings: 2_000_000, rulesPerTenant: 10_000, computersPerTenant: 10_000 },
};
