import type { OrgAccount } from "./organization.js";

/** The hub's mapping rules (coverage.md, "How an account finds its tenant"). */
export interface TenantMappingRules {
  /** Account id → tenant name. */
  accounts: Record<string, string>;
  /** Tag key whose value names the tenant. */
  tagKey?: string | undefined;
  /** OU id → tenant name; covers every OU and account below it, the deepest match wins. */
  organizationalUnits: Record<string, string>;
  defaultTenant?: string | undefined;
}

export type TenantMappingSource = "account" | "tag" | "organizational-unit" | "default" | "none" | "invalid-tag";

export interface TenantAssignment {
  accountId: string;
  tenant: string | null;
  source: TenantMappingSource;
  /** Human-readable: which rule matched, or why none did. */
  reason: string;
}

export function mapAccountToTenant(
  account: OrgAccount,
  rules: TenantMappingRules,
  knownTenants: ReadonlySet<string>,
): TenantAssignment {
  const byAccount = rules.accounts[account.id];
  if (byAccount !== undefined)
    return assigned(account, byAccount, "account", `account ${account.id} is mapped explicitly`);

  if (rules.tagKey !== undefined) {
    const tagValue = account.tags[rules.tagKey]?.trim();
    if (tagValue) {
      // A tag naming an unknown tenant is a mistake to fix, not a reason to fall back to a broader rule that
      // might send the account's data to the wrong tenant.
      if (!knownTenants.has(tagValue)) {
        return {
          accountId: account.id,
          tenant: null,
          source: "invalid-tag",
          reason: `tag ${rules.tagKey}=${tagValue} names no configured tenant`,
        };
      }
      return assigned(account, tagValue, "tag", `tag ${rules.tagKey}=${tagValue}`);
    }
  }

  for (let i = account.ouPath.length - 1; i >= 0; i--) {
    const ou = account.ouPath[i];
    const tenant = ou ? rules.organizationalUnits[ou.id] : undefined;
    if (ou && tenant !== undefined) return assigned(account, tenant, "organizational-unit", `OU ${ou.id} (${ou.name})`);
  }

  if (rules.defaultTenant !== undefined) return assigned(account, rules.defaultTenant, "default", "default tenant");
  return { accountId: account.id, tenant: null, source: "none", reason: "no mapping rule matches" };
}

function assigned(account: OrgAccount, tenant: string, source: TenantMappingSource, reason: string): TenantAssignment {
  return { accountId: account.id, tenant, source, reason };
}
