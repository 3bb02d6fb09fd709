import type { IpsRule } from "./workload-security.js";

/**
 * A tenant's IPS rules as wshub last read them, kept between runs. A rule's `lastUpdated` (the vendor's "timestamp
 * of the last rule modification", searchable as a date) lets the next read ask only for the rules modified since.
 */
export interface RuleCatalog {
  tenant: string;
  rules: IpsRule[];
  stamp: RuleCatalogStamp;
}

export interface RuleCatalogStamp {
  /** The newest rule modification seen, in milliseconds since the epoch. */
  lastUpdated: number;
  /** When the catalog was last read in full (ISO 8601). */
  readAt: string;
}

/**
 * A rule removed from a tenant leaves nothing to search for: a catalog read in full longer ago than this is read in
 * full again. A weekly schedule therefore reads every catalog in full; re-runs and reactions within a day do not.
 */
export const RULE_CATALOG_FULL_READ_MS = 24 * 3600 * 1000;

/** The kept catalog, if it may be refreshed by the rules changed since instead of read in full. */
export function reusableCatalog(catalog: RuleCatalog | undefined, tenant: string, now: Date): RuleCatalog | undefined {
  if (!catalog || catalog.tenant !== tenant) return undefined;
  const age = now.getTime() - Date.parse(catalog.stamp.readAt);
  // A stamp from the future (a clock set back) is no reason to trust the catalog.
  return age >= 0 && age < RULE_CATALOG_FULL_READ_MS ? catalog : undefined;
}

/** The kept rules with those modified since: each replaces its older self by id, new ones join; ascending by id. */
export function withChangedRules(rules: readonly IpsRule[], changed: readonly IpsRule[]): IpsRule[] {
  if (changed.length === 0) return [...rules];
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const rule of changed) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
