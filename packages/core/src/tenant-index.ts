import { normalizeVulnerabilityId } from "./vulnerability-id.js";
import type { IpsRule, TenantSnapshot, WsComputer } from "./workload-security.js";

/**
 * One tenant's catalog and fleet, indexed once so each coverage row costs map look-ups only
 * (the original samples scanned every rule for every CVE).
 */
export interface TenantIndex {
  tenant: string;
  rulesById: ReadonlyMap<number, IpsRule>;
  /** Normalised vulnerability id → covering rules, ascending by identifier. */
  rulesByVulnerability: ReadonlyMap<string, readonly IpsRule[]>;
  /** Instance id → computers carrying it, the most recent `lastAgentCommunication` first. */
  computersByInstance: ReadonlyMap<string, readonly WsComputer[]>;
  computersById: ReadonlyMap<number, WsComputer>;
}

export function buildTenantIndex(snapshot: TenantSnapshot): TenantIndex {
  shareRuleIds(snapshot.computers);
  const rulesById = new Map<number, IpsRule>();
  const rulesByVulnerability = new Map<string, IpsRule[]>();
  for (const rule of snapshot.rules) {
    rulesById.set(rule.id, rule);
    const seen = new Set<string>();
    for (const cve of rule.cves) {
      const key = normalizeVulnerabilityId(cve);
      if (key === "" || seen.has(key)) continue;
      seen.add(key);
      pushTo(rulesByVulnerability, key, rule);
    }
  }
  for (const rules of rulesByVulnerability.values()) rules.sort(compareRulesByIdentifier);

  const computersByInstance = new Map<string, WsComputer[]>();
  const computersById = new Map<number, WsComputer>();
  for (const computer of snapshot.computers) {
    computersById.set(computer.id, computer);
    if (computer.instanceId) pushTo(computersByInstance, computer.instanceId, computer);
  }
  for (const computers of computersByInstance.values()) computers.sort(byMostRecentCommunication);

  return { tenant: snapshot.tenant, rulesById, rulesByVulnerability, computersByInstance, computersById };
}

export function compareRulesByIdentifier(a: IpsRule, b: IpsRule): number {
  const numeric = Number(a.identifier) - Number(b.identifier);
  if (!Number.isNaN(numeric) && numeric !== 0) return numeric;
  return a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : a.id - b.id;
}

function byMostRecentCommunication(a: WsComputer, b: WsComputer): number {
  const difference = (b.lastAgentCommunication ?? -1) - (a.lastAgentCommunication ?? -1);
  return difference !== 0 ? difference : a.id - b.id;
}

/**
 * Computers of one policy carry the same effective rule list (about 900 ids each in the bench's tenants): one sorted
 * array per distinct list, shared by every computer carrying it, instead of one per computer (16,000 of them at L,
 * about 110 MB). The coverage decision and the fingerprint then work once per list, not once per row or instance.
 */
export function shareRuleIds(computers: readonly WsComputer[]): void {
  const share = ruleIdSharing();
  for (const computer of computers) share(computer);
}

/** shareRuleIds one computer at a time, as they arrive (the adapter shares each page's lists before the next). */
export function ruleIdSharing(): (computer: WsComputer) => void {
  const lists = new Map<number, (readonly number[])[]>();
  return (computer) => {
    const ids = isAscending(computer.ipsRuleIds) ? computer.ipsRuleIds : [...computer.ipsRuleIds].sort((a, b) => a - b);
    const key = hashIds(ids);
    const bucket = lists.get(key) ?? [];
    const shared = bucket.find((candidate) => sameIds(candidate, ids));
    if (shared) computer.ipsRuleIds = shared;
    else {
      bucket.push(ids);
      lists.set(key, bucket);
      computer.ipsRuleIds = ids;
    }
  };
}

function isAscending(ids: readonly number[]): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return false;
  return true;
}

function hashIds(ids: readonly number[]): number {
  let hash = 0x811c9dc5 ^ ids.length;
  for (const id of ids) hash = Math.imul(hash ^ id, 0x01000193);
  return hash >>> 0;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
