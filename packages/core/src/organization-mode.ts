/**
 * Where the accounts come from (docs/configuration.md, "Organization mode"):
 * - `organization`: AWS Organizations lists them, and each is read through `collection.mode` (a member role or the
 *   Inspector delegated administrator);
 * - `single-account`: the hub's own account is the only one, read with the hub's own credentials (no Organizations
 *   call, no role assumed, no StackSet).
 * Absent, the mode follows `collection.mode`: set, the hub reads an organization; unset, its own account.
 */
export const ORGANIZATION_MODES = ["organization", "single-account"] as const;
export type OrganizationMode = (typeof ORGANIZATION_MODES)[number];

export interface OrganizationModeInput {
  organization: {
    mode?: OrganizationMode | undefined;
    roleArn?: string | undefined;
    externalId?: string | undefined;
    includeAccounts?: string[] | undefined;
    excludeAccounts: string[];
    accountName?: string | undefined;
  };
  collection: { mode?: "member-role" | "delegated-admin" | undefined };
}

export function organizationMode(config: OrganizationModeInput): OrganizationMode {
  return config.organization.mode ?? (config.collection.mode === undefined ? "single-account" : "organization");
}

/** What a mode cannot use, as [path, message] pairs for the schema's refinement. */
export function organizationModeProblems(config: OrganizationModeInput): [string[], string][] {
  const { organization, collection } = config;
  if (organizationMode(config) === "organization") {
    const problems: [string[], string][] = [];
    if (collection.mode === undefined)
      problems.push([
        ["collection", "mode"],
        "organization mode needs collection.mode (member-role or delegated-admin)",
      ]);
    if (organization.accountName !== undefined)
      problems.push([["organization", "accountName"], "only single-account mode names its account"]);
    return problems;
  }
  const unused: [string, boolean][] = [
    ["roleArn", organization.roleArn !== undefined],
    ["externalId", organization.externalId !== undefined],
    ["includeAccounts", organization.includeAccounts !== undefined],
    ["excludeAccounts", organization.excludeAccounts.length > 0],
  ];
  const problems = unused
    .filter(([, set]) => set)
    .map(([key]): [string[], string] => [
      ["organization", key],
      "single-account mode lists no organization (set collection.mode or organization.mode: organization)",
    ]);
  if (collection.mode !== undefined)
    problems.push([["collection", "mode"], "single-account mode reads the hub's own account with its own credentials"]);
  return problems;
}
