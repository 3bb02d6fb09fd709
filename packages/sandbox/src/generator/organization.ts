import type { ScenarioAccount, ScenarioOrganizationalUnit } from "../scenario/types.js";
import { apportion, zipfCumulative, type Random } from "./random.js";

export const MANAGEMENT_ACCOUNT = "100000000001";
export const HUB_ACCOUNT = "100000000002";

/** Nested OUs (depth up to 4): where workload accounts live, and which tenant (by index) each subtree maps to. */
const OUS: (ScenarioOrganizationalUnit & { tenant?: (tenants: number) => number; workload: boolean })[] = [
  { id: "ou-wl00-workloads", name: "Workloads", parentId: "root", workload: false },
  { id: "ou-pr00-prod", name: "Prod", parentId: "ou-wl00-workloads", workload: false, tenant: () => 0 },
  { id: "ou-pr01-eu", name: "EU", parentId: "ou-pr00-prod", workload: true, tenant: (n) => 1 % n },
  { id: "ou-pr11-eu-payments", name: "Payments", parentId: "ou-pr01-eu", workload: true },
  { id: "ou-pr02-us", name: "US", parentId: "ou-pr00-prod", workload: true, tenant: (n) => 2 % n },
  { id: "ou-pr03-apac", name: "APAC", parentId: "ou-pr00-prod", workload: true },
  { id: "ou-np00-nonprod", name: "NonProd", parentId: "ou-wl00-workloads", workload: false, tenant: (n) => n - 1 },
  { id: "ou-np01-dev", name: "Dev", parentId: "ou-np00-nonprod", workload: true },
  { id: "ou-np02-test", name: "Test", parentId: "ou-np00-nonprod", workload: true },
  { id: "ou-sb00-sandbox", name: "Sandbox", parentId: "root", workload: true },
  { id: "ou-sc00-security", name: "Security", parentId: "root", workload: false },
];

export const TENANT_NAMES = ["global", "emea", "americas", "apac", "nonprod", "lab", "edge", "retail"];

export function tenantNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => TENANT_NAMES[i] ?? `tenant-${i}`);
}

export interface GeneratedOrganization {
  organizationalUnits: ScenarioOrganizationalUnit[];
  accounts: ScenarioAccount[];
  /** Workload accounts (not management, not hub) and their finding share. */
  workload: { account: ScenarioAccount; findings: number }[];
  mapping: { organizationalUnits: Record<string, string>; accounts: Record<string, string>; tagKey: string };
}

export function generateOrganization(
  random: Random,
  accounts: number,
  findings: number,
  tenants: string[],
): GeneratedOrganization {
  const organizationalUnits = OUS.map(({ id, name, parentId }) => ({ id, name, parentId }));
  const leaves = OUS.filter((ou) => ou.workload);
  const mapping = {
    organizationalUnits: {} as Record<string, string>,
    accounts: {} as Record<string, string>,
    tagKey: "WorkloadSecurityTenant",
  };
  for (const ou of OUS)
    if (ou.tenant) mapping.organizationalUnits[ou.id] = tenants[ou.tenant(tenants.length)] as string;

  const management: ScenarioAccount = {
    id: MANAGEMENT_ACCOUNT,
    name: "management",
    email: "aws-root@example.com",
    ouId: "root",
    status: "ACTIVE",
    tags: {},
    memberRoleDeployed: true,
  };
  const hub: ScenarioAccount = {
    id: HUB_ACCOUNT,
    name: "security-tooling",
    email: "security@example.com",
    ouId: "ou-sc00-security",
    status: "ACTIVE",
    tags: {},
    memberRoleDeployed: true,
  };
  const count = Math.max(1, accounts - 2);
  // Uneven sizes: a few large accounts and a long tail, summing exactly to the total.
  const cumulative = zipfCumulative(count, 0.8);
  const weights = cumulative.map((c, i) => c - (cumulative[i - 1] ?? 0));
  const shares = apportion(findings, weights, 1);
  const workload = shares.map((share, i) => {
    const ou = leaves[i % leaves.length] as (typeof leaves)[number];
    const id = String(200000000000 + i * 7919).padStart(12, "0");
    const account: ScenarioAccount = {
      id,
      name: `${ou.name.toLowerCase()}-app-${String(i).padStart(4, "0")}`,
      email: `aws+${id}@example.com`,
      ouId: ou.id,
      status: "ACTIVE",
      tags: tagsFor(random, i, tenants),
      memberRoleDeployed: true,
    };
    return { account, findings: share };
  });
  markExceptions(
    random,
    workload.map((w) => w.account),
  );
  return { organizationalUnits, accounts: [management, hub, ...workload.map((w) => w.account)], workload, mapping };
}

function tagsFor(random: Random, i: number, tenants: string[]): Record<string, string> {
  const tags: Record<string, string> = { CostCenter: `cc-${1000 + (i % 37)}` };
  const contact = random.float();
  if (contact < 0.85) tags["SecurityContact"] = `team-${i % 50}@example.com`;
  else if (contact < 0.9) tags["SecurityContact"] = `team-${i % 50}@example.com; lead-${i % 7}@example.com`;
  else if (contact < 0.93) tags["SecurityContact"] = "Security Team (ask in #security)"; // not an address: reported, not mailed
  if (random.chance(0.03)) tags["WorkloadSecurityTenant"] = random.pick(tenants);
  return tags;
}

/** A few suspended accounts and a few without the member role (at least one of each when there is room). */
function markExceptions(random: Random, accounts: ScenarioAccount[]): void {
  if (accounts.length < 4) return;
  const pick = (share: number) => Math.max(1, Math.round(accounts.length * share));
  const order = accounts.map((a, i) => ({ a, r: random.float(), i })).sort((x, y) => x.r - y.r);
  const suspended = pick(0.02);
  const noRole = pick(0.02);
  order.slice(0, suspended).forEach(({ a }) => (a.status = "SUSPENDED"));
  order.slice(suspended, suspended + noRole).forEach(({ a }) => (a.memberRoleDeployed = false));
}
