import { describe, expect, it } from "vitest";
import { SingleAccountListing } from "@wshub/aws";
import { ERROR_CODES, parseHubConfig, type Logger } from "@wshub/core";
import { createHubContext } from "../src/index.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const base = { hub: { homeRegion: "us-east-1", regions: ["us-east-1"] }, reports: { sender: "hub@example.com" } };
const credentials = { accessKeyId: "AKIATEST", secretAccessKey: "secret" };
const hub = { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/hub" };

describe("account access by organization mode", () => {
  it("single-account: the hub's own account, read with its own credentials", async () => {
    const ctx = createHubContext({ config: parseHubConfig(base), logger: quiet, credentials });
    expect(ctx.organization).toBeInstanceOf(SingleAccountListing);
    expect(ctx.inspector).toMatchObject({ mode: "single-account", maxAccountsPerQuery: 1 });
    await expect(ctx.inspector.readerFor(["111111111111", "222222222222"], "us-east-1")).rejects.toMatchObject({
      code: ERROR_CODES.INSPECTOR_REQUEST_INVALID,
    });
  });

  it("organization: Organizations lists the accounts, the configured collection mode reads them", () => {
    const config = parseHubConfig({ ...base, collection: { mode: "delegated-admin" } });
    const ctx = createHubContext({ config, logger: quiet, credentials });
    expect(ctx.organization).not.toBeInstanceOf(SingleAccountListing);
    expect(ctx.inspector).toMatchObject({ mode: "delegated-admin", maxAccountsPerQuery: 10 });
  });
});

describe("SingleAccountListing", () => {
  it("lists one active account under the root, named as configured", async () => {
    const listing = await new SingleAccountListing(async () => hub, "payments").listOrganization();
    expect(listing).toEqual({
      accounts: [{ id: hub.accountId, name: "payments", email: "", status: "ACTIVE", ouPath: [], tags: {} }],
      organizationalUnits: [],
    });
    const unnamed = await new SingleAccountListing(async () => hub).listOrganization();
    expect(unnamed.accounts[0]?.name).toBe(hub.accountId);
  });

  it("an STS failure is ORGANIZATION_UNAVAILABLE naming GetCallerIdentity; missing credentials stay typed", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDenied" });
    await expect(new SingleAccountListing(() => Promise.reject(denied)).listOrganization()).rejects.toMatchObject({
      code: ERROR_CODES.ORGANIZATION_UNAVAILABLE,
      message: expect.stringContaining("GetCallerIdentity): AccessDenied: not authorized"),
    });
    const none = Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" });
    await expect(new SingleAccountListing(() => Promise.reject(none)).listOrganization()).rejects.toMatchObject({
      code: ERROR_CODES.AWS_CREDENTIALS_UNAVAILABLE,
    });
    await expect(
      new SingleAccountListing(async () => ({ accountId: "unknown", arn: "unknown" })).listOrganization(),
    ).rejects.toMatchObject({ code: ERROR_CODES.ORGANIZATION_UNAVAILABLE });
  });
});
