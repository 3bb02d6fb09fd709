import type { HubConfig } from "./config.js";
import { ERROR_CODES } from "./errors.js";
import type { OrganizationListing } from "./organization.js";
import type { RunError } from "./run.js";

/** Where the configuration names accounts, and where it names OUs. */
const ACCOUNT_REFERENCES: [path: string, ids: (config: HubConfig) => string[]][] = [
  ["organization.includeAccounts", (c) => c.organization.includeAccounts ?? []],
  ["organization.excludeAccounts", (c) => c.organization.excludeAccounts],
  ["mapping.accounts", (c) => Object.keys(c.mapping.accounts)],
  ["reports.recipients.accounts", (c) => Object.keys(c.reports.recipients.accounts)],
  ["assignment.accountModes", (c) => Object.keys(c.assignment.accountModes)],
  ["assignment.allow.accounts", (c) => c.assignment.allow.accounts],
];
const OU_REFERENCES: [path: string, ids: (config: HubConfig) => string[]][] = [
  ["mapping.organizationalUnits", (c) => Object.keys(c.mapping.organizationalUnits)],
  ["assignment.organizationalUnitModes", (c) => Object.keys(c.assignment.organizationalUnitModes)],
  ["assignment.allow.organizationalUnits", (c) => c.assignment.allow.organizationalUnits],
];

/**
 * Accounts and OUs the configuration names that the organization does not have: most often a typo or an account that
 * left, and otherwise silent (an `includeAccounts` of absent ids assesses nothing and looks like a clean run). One
 * warning per configuration path, listing the ids; warnings never change a run's status.
 */
export function configurationWarnings(config: HubConfig, listing: OrganizationListing): RunError[] {
  const accounts = new Set(listing.accounts.map((a) => a.id));
  const units = new Set(listing.organizationalUnits.map((ou) => ou.id));
  return [
    ...absent(config, ACCOUNT_REFERENCES, accounts, "account"),
    ...absent(config, OU_REFERENCES, units, "organizational unit"),
  ];
}

function absent(
  config: HubConfig,
  references: typeof ACCOUNT_REFERENCES,
  known: Set<string>,
  what: string,
): RunError[] {
  return references.flatMap(([path, ids]) => {
    const missing = [...new Set(ids(config))].filter((id) => !known.has(id)).sort();
    if (missing.length === 0) return [];
    const list = missing.join(", ");
    return [
      {
        scope: "configuration",
        subject: path,
        code: ERROR_CODES.NOT_IN_ORGANIZATION,
        message: `${path} names ${missing.length === 1 ? `${what} ${list}, which is` : `${what}s ${list}, which are`} not in the organization`,
      },
    ];
  });
}
