import { computerRef, ruleRef, type CoverageUnit } from "./coverage.js";
import type { CoveredInstance } from "./finding.js";
import type { CoverageKeys } from "./ports.js";
import type { AccountCoverage } from "./run.js";
import type { TenantIndex } from "./tenant-index.js";
import { normalizeVulnerabilityId } from "./vulnerability-id.js";

/**
 * A fast 64-bit non-cryptographic digest (two 32-bit FNV-1a lanes with different offsets), as 16 hex characters.
 * For change detection only, never for security.
 */
export function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The tenant keys an account's rows read: its vulnerabilities and instances (those of its inventory too). */
export function coverageKeys(units: readonly CoverageUnit[], instances: readonly CoveredInstance[]): CoverageKeys {
  const vulnerabilities = new Set(units.map((u) => normalizeVulnerabilityId(u.vulnerabilityId)));
  const instanceIds = new Set([...units.map((u) => u.instanceId), ...instances.map((i) => i.instanceId)]);
  return { vulnerabilityIds: [...vulnerabilities].sort(), instanceIds: [...instanceIds].sort() };
}

/**
 * A digest of what a tenant says at an account's keys: the rules covering each vulnerability (as rows carry them) and
 * the computers carrying each instance (in the order coverage picks them, with what the decision reads). Agent
 * heartbeats are left out: they move every few minutes in a real tenant and change no status (only the order of
 * duplicate computers, which is included). Per-key texts are cached, so a tenant's accounts share the work.
 */
export function tenantKeyPrinter(index: TenantIndex | null): (keys: CoverageKeys) => string {
  if (index === null) return () => "no-tenant";
  const cache = new Map<string, string>();
  const text = (key: string, make: () => string) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = make()));
    return value;
  };
  const rulesOf = (vulnerabilityId: string) =>
    text(`v${vulnerabilityId}`, () =>
      JSON.stringify((index.rulesByVulnerability.get(vulnerabilityId) ?? []).map(ruleRef)),
    );
  const computersOf = (instanceId: string) =>
    text(`i${instanceId}`, () =>
      JSON.stringify(
        (index.computersByInstance.get(instanceId) ?? []).map((c) => [computerRef(c), ruleIdsDigest(c.ipsRuleIds)]),
      ),
    );
  return (keys) =>
    digest([...keys.vulnerabilityIds.map(rulesOf), "|", ...keys.instanceIds.map(computersOf)].join("\n"));
}

/** A rule list's digest, once per list (indexed computers share them, tenant-index.ts), in ascending order. */
const listDigests = new WeakMap<readonly number[], string>();

function ruleIdsDigest(ids: readonly number[]): string {
  let value = listDigests.get(ids);
  if (value === undefined) listDigests.set(ids, (value = digest([...ids].sort((a, b) => a - b).join(","))));
  return value;
}

/** What an account's report shows, as a digest: equal digests, same report (whatever run computed it). */
export function coverageContent(coverage: AccountCoverage): string {
  const { runId: _runId, evaluatedAt: _at, ...shown } = coverage;
  return digest(JSON.stringify(shown));
}

export function instancesFingerprint(instances: CoveredInstance[]): string {
  return digest(
    instances
      .map((i) => `${i.accountId}|${i.region}|${i.instanceId}|${i.name ?? ""}|${i.state ?? ""}|${i.scanStatus ?? ""}`)
      .sort()
      .join("\n"),
  );
}
