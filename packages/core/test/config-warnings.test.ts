import { describe, expect, it } from "vitest";
import { configurationWarnings, parseHubConfig, type OrganizationListing } from "../src/index.js";

const listing: OrganizationListing = {
  accounts: ["111111111111", "222222222222"].map((id) => ({
    id,
    name: id,
    email: `${id}@example.com`,
    status: "ACTIVE",
    ouPath: [{ id: "ou-prod", name: "Prod" }],
    tags: {},
  })),
  organizationalUnits: [{ id: "ou-prod", name: "Prod", parentId: "r-root" }],
};

const config = (extra: Record<string, unknown>) =>
  parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    tenants: [{ name: "t", apiKeySecret: "s", url: "https://ws.example.com/api" }],
    reports: { sender: "hub@example.com" },
    ...extra,
  });

describe("configurationWarnings", () => {
  it("is empty when every configured account and OU is in the organization", () => {
    const all = config({
      organization: { includeAccounts: ["111111111111"], excludeAccounts: ["222222222222"] },
      mapping: { accounts: { "111111111111": "t" }, organizationalUnits: { "ou-prod": "t" } },
    });
    expect(configurationWarnings(all, listing)).toEqual([]);
  });

  it("names each configuration path that lists an absent account or OU, with the ids", () => {
    const warnings = configurationWarnings(
      config({
        organization: { includeAccounts: ["999999999999", "111111111111", "888888888888"] },
        mapping: { accounts: { "777777777777": "t" } },
        reports: { sender: "hub@example.com", recipients: { accounts: { "666666666666": ["a@example.com"] } } },
        assignment: {
          accountModes: { "555555555555": "plan" },
          organizationalUnitModes: { "ou-gone": "apply" },
          allow: { accounts: ["444444444444"], organizationalUnits: ["ou-prod", "ou-left"] },
        },
      }),
      listing,
    );
    expect(warnings.every((w) => w.scope === "configuration" && w.code === "NOT_IN_ORGANIZATION")).toBe(true);
    expect(Object.fromEntries(warnings.map((w) => [w.subject, w.message]))).toEqual({
      "organization.includeAccounts":
        "organization.includeAccounts names accounts 888888888888, 999999999999, which are not in the organization",
      "mapping.accounts": "mapping.accounts names account 777777777777, which is not in the organization",
      "reports.recipients.accounts":
        "reports.recipients.accounts names account 666666666666, which is not in the organization",
      "assignment.accountModes": "assignment.accountModes names account 555555555555, which is not in the organization",
      "assignment.allow.accounts":
        "assignment.allow.accounts names account 444444444444, which is not in the organization",
      "assignment.organizationalUnitModes":
        "assignment.organizationalUnitModes names organizational unit ou-gone, which is not in the organization",
      "assignment.allow.organizationalUnits":
        "assignment.allow.organizationalUnits names organizational unit ou-left, which is not in the organization",
    });
  });
});
