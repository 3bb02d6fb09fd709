import { describe, expect, it } from "vitest";
import { organizationMode, parseHubConfig, WshubError } from "../src/index.js";

const base = {
  hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
  reports: { sender: "hub@example.com" },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseHubConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(WshubError);
    return (error as WshubError).details["problems"] as string[];
  }
  return expect.unreachable("the configuration was accepted");
}

describe("organization mode", () => {
  it("no organization section and no collection: the hub's own account, single-account mode", () => {
    const config = parseHubConfig(base);
    expect(organizationMode(config)).toBe("single-account");
    expect(config.collection.mode).toBeUndefined();
    expect(config.collection.concurrency).toBe(8);
  });

  it("explicit single-account mode, with a name for the account in reports", () => {
    const config = parseHubConfig({ ...base, organization: { mode: "single-account", accountName: "prod" } });
    expect(organizationMode(config)).toBe("single-account");
    expect(config.organization.accountName).toBe("prod");
  });

  it("collection.mode set and no organization.mode: an organization, as before", () => {
    const config = parseHubConfig({ ...base, collection: { mode: "delegated-admin" } });
    expect(organizationMode(config)).toBe("organization");
    expect(
      organizationMode(
        parseHubConfig({ ...base, organization: { mode: "organization" }, collection: config.collection }),
      ),
    ).toBe("organization");
  });

  it("single-account mode rejects what only an organization uses, naming each key", () => {
    expect(
      problemsOf({
        ...base,
        organization: {
          mode: "single-account",
          roleArn: "arn:aws:iam::111111111111:role/org-read",
          excludeAccounts: ["222222222222"],
        },
        collection: { mode: "delegated-admin" },
      }),
    ).toEqual([
      "organization.roleArn: single-account mode lists no organization (set collection.mode or organization.mode: organization)",
      "organization.excludeAccounts: single-account mode lists no organization (set collection.mode or organization.mode: organization)",
      "collection.mode: single-account mode reads the hub's own account with its own credentials",
    ]);
  });

  it("an organization section without collection.mode is single-account, and says so", () => {
    expect(problemsOf({ ...base, organization: { includeAccounts: ["111111111111"] } })).toEqual([
      "organization.includeAccounts: single-account mode lists no organization (set collection.mode or organization.mode: organization)",
    ]);
  });

  it("organization mode needs collection.mode, and names no single account", () => {
    expect(problemsOf({ ...base, organization: { mode: "organization", accountName: "prod" } })).toEqual([
      "collection.mode: organization mode needs collection.mode (member-role or delegated-admin)",
      "organization.accountName: only single-account mode names its account",
    ]);
    expect(problemsOf({ ...base, organization: { mode: "single-acount" } })[0]).toMatch(/^organization\.mode: /);
  });
});
