import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHubConfig, WshubError, type Logger } from "@wshub/core";
import { createHubContext } from "../src/index.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const config = parseHubConfig({
  hub: { homeRegion: "us-east-1", regions: ["us-east-1", "eu-central-1"] },
  collection: { mode: "delegated-admin" },
  reports: { sender: "hub@example.com" },
});

const saved = { ...process.env };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wshub-profile-"));
  writeFileSync(
    join(dir, "credentials"),
    "[security-hub]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profile-secret\n",
  );
  writeFileSync(join(dir, "config"), "");
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ACCESS_KEY_ID: "AKIAENVIRONMENT",
    AWS_SECRET_ACCESS_KEY: "environment-secret",
  });
  delete process.env["AWS_PROFILE"];
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function hubCredentials(options: { profile?: string }) {
  const { hubCredentials } = createHubContext({ config, logger: quiet, ...options }).clients;
  return typeof hubCredentials === "function" ? hubCredentials() : hubCredentials;
}

describe("--region and --profile", () => {
  it("--region replaces hub.homeRegion for the hub's clients, not the regions Inspector is read in", async () => {
    const ctx = createHubContext({ config, logger: quiet, region: "eu-west-1" });
    expect(ctx.config.hub.homeRegion).toBe("eu-west-1");
    expect(ctx.config.hub.regions).toEqual(["us-east-1", "eu-central-1"]);
    for (const client of [ctx.clients.dynamodb, ctx.clients.ses, ctx.clients.secrets, ctx.clients.sts, ctx.clients.s3])
      expect(await client.config.region()).toBe("eu-west-1");
    expect(await ctx.clients.organizations.config.region()).toBe("us-east-1");
    expect(config.hub.homeRegion).toBe("us-east-1");
  });

  it("without a profile the environment's keys are used; a profile wins over them, as AWS_PROFILE does", async () => {
    expect((await hubCredentials({})).accessKeyId).toBe("AKIAENVIRONMENT");
    expect(await hubCredentials({ profile: "security-hub" })).toMatchObject({
      accessKeyId: "AKIAPROFILE",
      secretAccessKey: "profile-secret",
    });
  });

  it("a profile that exists nowhere is AWS_CREDENTIALS_UNAVAILABLE naming it, with a hint", async () => {
    const error: unknown = await hubCredentials({ profile: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WshubError);
    expect(error).toMatchObject({ code: "AWS_CREDENTIALS_UNAVAILABLE", details: { profile: "nope" } });
    expect((error as WshubError).message).toContain("for profile nope");
    expect(String((error as WshubError).details["hint"])).toContain("--profile");
  });
});
