export type AccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface OrganizationalUnitRef {
  id: string;
  name: string;
}

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  /** From the root's first OU down to the account's own parent OU; empty for an account directly under the root. */
  ouPath: OrganizationalUnitRef[];
  tags: Record<string, string>;
}

export interface OrganizationListing {
  accounts: OrgAccount[];
  /** Every OU of the organization, for reports and guard-rail checks. */
  organizationalUnits: (OrganizationalUnitRef & { parentId: string })[];
}

export function ouPathLabel(account: OrgAccount): string {
  return account.ouPath.length === 0 ? "/" : "/" + account.ouPath.map((ou) => ou.name).join("/");
}

export function isInOrganizationalUnit(account: OrgAccount, ouId: string): boolean {
  return account.ouPath.some((ou) => ou.id === ouId);
}
