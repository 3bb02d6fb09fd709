import { normalizeVulnerabilityId } from "@wshub/core";
import type { ScenarioIpsRule } from "../scenario/types.js";
import { drawCvssScore, severityOfCvss, type Severity } from "./cvss.js";
import type { Random } from "./random.js";
import type { VulnerabilityUniverse } from "./vulnerabilities.js";

/** One IPS rule of the catalog every tenant shares under its own tenant-local IDs (like the real service). */
export type CatalogRule = Omit<ScenarioIpsRule, "id" | "severity"> & { severity: Severity };

export interface Catalog {
  rules: CatalogRule[];
  /** Indexes of rules that list a CVE some finding reports. */
  coveringRules: number[];
}

/** How many rules list one CVE: mostly one, some two or three (docs/sandbox.md, asserted in the generator's tests). */
export const RULES_PER_CVE: readonly { rules: number; share: number }[] = [
  { rules: 1, share: 0.8 },
  { rules: 2, share: 0.15 },
  { rules: 3, share: 0.05 },
];
/** Share of the rules that list CVEs; the others are smart, policy and info rules without any. */
export const RULES_WITH_CVES = 0.85;
/** Share of the CVEs with rules whose rules list a second CVE as well ("Multiple Vulnerabilities"). */
const COMPANION_CVE = 0.1;
const ODD_SPELLING = 0.01;
const DETECT_ONLY = 0.05;

/** The CVEs some rules list together, how many rules list them, and the CVEs' CVSS score. */
interface CveGroup {
  cves: string[];
  rules: number;
  cvssScore: number;
}

const PRODUCTS = [
  "Apache",
  "OpenSSL",
  "Nginx",
  "Linux Kernel",
  "GNU C Library",
  "OpenSSH",
  "Curl",
  "Microsoft Windows",
];
const FLAWS = [
  "Remote Code Execution",
  "Denial Of Service",
  "Information Disclosure",
  "Buffer Overflow",
  "Command Injection",
];
const PROTOCOLS = ["HTTP", "DNS", "SMB", "TLS", "SSH"];

/**
 * A catalog of `size` rules, 85 % of them listing CVEs: every CVE of the covered share (`coverage`) of the universe
 * first, while the catalog has room (at L it holds fewer than the covered share), then CVEs that no finding reports.
 * Each CVE gets 1, 2 or 3 rules (80/15/5 %) that carry its CVSS score and the vendor severity of that score.
 */
export function catalog(random: Random, size: number, universe: VulnerabilityUniverse, coverage: number): Catalog {
  const covered = universe.cves.filter(() => random.chance(coverage));
  const coveredSet = new Set(covered);
  const groups = cveGroups(random, covered, Math.round(size * RULES_WITH_CVES));
  const slots: (CveGroup | null)[] = groups.flatMap((group) => Array.from({ length: group.rules }, () => group));
  while (slots.length < size) slots.push(null);
  const rules = shuffled(random, slots).map((group, i) =>
    group ? cveRule(random, i, group) : ruleWithoutCves(random, i),
  );
  const coveringRules = rules.flatMap((rule, i) =>
    rule.cves.some((cve) => coveredSet.has(normalizeVulnerabilityId(cve))) ? [i] : [],
  );
  return { rules, coveringRules };
}

function cveGroups(random: Random, covered: string[], ruleBudget: number): CveGroup[] {
  const fresh = freshCves(random);
  const groups: CveGroup[] = [];
  for (let listed = 0; listed < ruleBudget;) {
    const primary = covered[groups.length] ?? fresh();
    const rules = Math.min(rulesPerCve(random), ruleBudget - listed);
    const cves = random.chance(COMPANION_CVE) ? [primary, fresh()] : [primary];
    groups.push({ cves, rules, cvssScore: drawCvssScore(random) });
    listed += rules;
  }
  return groups;
}

function rulesPerCve(random: Random): number {
  const roll = random.float();
  let upTo = 0;
  return RULES_PER_CVE.find((r) => roll < (upTo += r.share))?.rules ?? 1;
}

/** CVE ids older than the universe's (2008–2018), never the same twice. */
function freshCves(random: Random): () => string {
  const seen = new Set<string>();
  return () => {
    for (;;) {
      const id = `CVE-${random.int(2008, 2018)}-${random.int(1000, 99999)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      return id;
    }
  };
}

function cveRule(random: Random, index: number, group: CveGroup): CatalogRule {
  const cves = [...group.cves];
  // Catalogs carry odd spellings; a client must compare after trimming and upper-casing.
  if (random.chance(ODD_SPELLING)) cves[0] = ` ${(cves[0] ?? "").toLowerCase()}`;
  const product = random.pick(PRODUCTS);
  const flaw = group.cves.length > 1 ? "Multiple Vulnerabilities" : `${random.pick(FLAWS)} Vulnerability`;
  return {
    identifier: identifierAt(index),
    name: `${product} ${flaw} (${group.cves.join(", ")})`,
    cves,
    detectOnly: random.chance(DETECT_ONLY),
    severity: severityOfCvss(group.cvssScore),
    cvssScore: group.cvssScore,
    type: random.pick(["vulnerability", "exploit", "smart"] as const),
  };
}

/** A smart, policy or info rule: no CVE, so no CVSS score (NVD scores CVEs); the vendor still rates it. */
function ruleWithoutCves(random: Random, index: number): CatalogRule {
  return {
    identifier: identifierAt(index),
    name: `Generic ${random.pick(PROTOCOLS)} Protocol Decoding ${index}`,
    cves: [],
    detectOnly: random.chance(DETECT_ONLY),
    severity: random.pick(["low", "medium", "medium", "high"] as const),
    type: random.pick(["smart", "policy", "info"] as const),
  };
}

function identifierAt(index: number): string {
  return String(1000000 + index * 3 + 7);
}

/** The items in a seeded random order (each keyed by a draw; the sort is stable). */
function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, key: random.float() }));
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.item);
}
