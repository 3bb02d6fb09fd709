import {
  mapAccountToTenant,
  ouPathLabel,
  type HubConfig,
  type OrgAccount,
  type OrganizationListing,
  type TenantAssignment,
} from "@wshub/core";

export interface PlannedAccount {
  account: OrgAccount;
  tenant: TenantAssignment;
  /** Why the account is not assessed this run; absent when it is. */
  skip?: "suspended" | "excluded";
}

/** Decide for every account of the organization whether it is assessed and which tenant it maps to (pure). */
export function planAccounts(listing: OrganizationListing, config: HubConfig): PlannedAccount[] {
  const knownTenants = new Set(config.tenants.map((t) => t.name));
  const rules = {
    accounts: config.mapping.accounts,
    tagKey: config.mapping.tagKey,
    organizationalUnits: config.mapping.organizationalUnits,
    defaultTenant: config.mapping.defaultTenant,
  };
  const include = config.organization.includeAccounts ? new Set(config.organization.includeAccounts) : undefined;
  const exclude = new Set(config.organization.excludeAccounts);
  return listing.accounts.map((account) => {
    const planned: PlannedAccount = { account, tenant: mapAccountToTenant(account, rules, knownTenants) };
    if (account.status !== "ACTIVE") planned.skip = "suspended";
    else if (exclude.has(account.id) || (include && !include.has(account.id))) planned.skip = "excluded";
    return planned;
  });
}

export function accountLabel(account: Pick<OrgAccount, "id" | "name">): string {
  return `${account.name} (${account.id})`;
}

export { ouPathLabel };
