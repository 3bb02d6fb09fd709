import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import ExcelJS from "exceljs";
import { isoWeekLabel, type HubConfigInput, type RunRecord } from "@wshub/core";
import { assignFromStore, runHub } from "@wshub/hub";
import { rollupFileNames } from "@wshub/reports";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxEnv, wshub as wshubIn } from "../src/cli.js";
import { startWorld, type World } from "../src/harness.js";

/**
 * Strict inputs, end to end (issue 9: strict inputs, secrets, bad arguments; issue 14: AWS CLI habits): the CLI in its
 * own process against one sandbox.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());

/** A configuration file: the demo configuration with `changes` applied, written as the user would write it. */
function configFile(name: string, changes: (config: Record<string, unknown> & HubConfigInput) => void): string {
  const config = structuredClone(world.config()) as Record<string, unknown> & HubConfigInput;
  changes(config);
  const path = join(world.outputDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const wshub = (args: string[], env?: NodeJS.ProcessEnv) => wshubIn(world, args, env);

/** No AWS keys in the environment, no shared files but `credentials` (if given), no instance metadata. */
function bareEnv(credentials?: string): NodeJS.ProcessEnv {
  const env = { ...sandboxEnv(world) };
  delete env["AWS_ACCESS_KEY_ID"];
  delete env["AWS_SECRET_ACCESS_KEY"];
  delete env["AWS_SESSION_TOKEN"];
  delete env["AWS_PROFILE"];
  const empty = join(world.outputDir, "empty-aws-config");
  writeFileSync(empty, "");
  return {
    ...env,
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: credentials ?? empty,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

describe("strict configuration", () => {
  it("a misspelt key is CONFIG_INVALID (exit 3) with its path and a suggestion, and nothing is sent", async () => {
    const file = configFile("misspelt", (c) => Object.assign(c["reports"] as object, { sendEmails: false }));
    const before = world.sandbox.aws.outbox().length;
    const result = await wshub(["run", "--config", file, "--create-tables"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("reports.sendEmails: unknown key; did you mean sendEmail?");
    expect(result.stderr).toContain("(CONFIG_INVALID)");
    expect(world.sandbox.aws.outbox().length).toBe(before);
  });

  it("accounts the organization lacks are warnings in the summary, the run record and the roll-up", async () => {
    const file = configFile("absent", (c) => {
      c.organization = { ...c.organization, includeAccounts: ["999999999999"] };
      c.mapping = { ...c.mapping, accounts: { "888888888888": "emea" } };
    });
    const run = await wshub(["run", "--config", file, "--create-tables"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/run run-\S+: succeeded with 2 warning\(s\) — 0 of 6 accounts assessed/);
    expect(run.stdout).toContain(
      "configuration organization.includeAccounts: NOT_IN_ORGANIZATION: organization.includeAccounts names account 999999999999, which is not in the organization",
    );
    expect(run.stdout).toContain("mapping.accounts names account 888888888888");
    const runId = /run (run-\S+):/.exec(run.stdout)?.[1] as string;

    const runs = JSON.parse((await wshub(["runs", "--config", file, "--json"])).stdout) as RunRecord[];
    const record = runs.find((r) => r.runId === runId) as RunRecord;
    expect(record.status).toBe("succeeded");
    expect(record.warnings?.map((w) => w.subject)).toEqual(["organization.includeAccounts", "mapping.accounts"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(
      join(world.outputDir, runId, rollupFileNames(isoWeekLabel(new Date(record.startedAt))).xlsx),
    );
    const rows: unknown[][] = [];
    workbook.getWorksheet("Run errors")?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual([
      ["warning", "configuration", "organization.includeAccounts"],
      ["warning", "configuration", "mapping.accounts"],
    ]);
  });
});

describe("a malformed API key", () => {
  it("with a CR/LF inside is SECRET_INVALID naming the secret, and no output, log or record carries it", async () => {
    const key = "sandbox-key-emea-0001\r\nX-Injected: yes";
    await new SecretsManagerClient({
      region: world.sandbox.info.region,
      endpoint: world.sandbox.info.aws.endpoint,
      credentials: {
        accessKeyId: world.sandbox.info.aws.hub.accessKeyId,
        secretAccessKey: world.sandbox.info.aws.hub.secretAccessKey,
      },
    }).send(new CreateSecretCommand({ Name: "wshub/tenants/emea-crlf", SecretString: key }));
    const file = configFile("crlf", (c) => {
      c.tenants = (c.tenants ?? []).map((t) =>
        t.name === "emea" ? { ...t, apiKeySecret: "wshub/tenants/emea-crlf" } : t,
      );
    });
    const run = await wshub(["run", "--config", file, "--create-tables", "--verbose"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("SECRET_INVALID: secret wshub/tenants/emea-crlf does not hold a usable API key");
    const runs = await wshub(["runs", "--config", file, "--json"]);
    for (const text of [run.stdout, run.stderr, runs.stdout]) {
      expect(text).not.toContain("X-Injected");
      expect(text).not.toContain("sandbox-key-emea-0001");
    }
    // The other tenant's accounts are still assessed.
    expect(run.stdout).toMatch(/444444444444 .* assessed/);
    // Stage boundaries are info lines; --verbose adds debug lines per account decision and per API call (JSON lines
    // off a terminal).
    expect(run.stderr).toContain(`"level":"INFO","message":"stage started","stage":"collect"`);
    for (const message of ["account planned", "account evaluated", "workload security call", "aws call"])
      expect(run.stderr).toContain(`"level":"DEBUG","message":"${message}"`);
  });
});

describe("AWS CLI habits", () => {
  it("no credentials is AWS_CREDENTIALS_UNAVAILABLE (exit 9) with a hint and no stack; --profile supplies them", async () => {
    const file = configFile("profile", () => undefined);
    const credentials = join(world.outputDir, "aws-credentials");
    const { accessKeyId, secretAccessKey } = world.sandbox.info.aws.hub;
    writeFileSync(
      credentials,
      `[sandbox]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`,
    );
    const [bare, withProfile, missing] = await Promise.all([
      wshub(["runs", "--config", file], bareEnv()),
      wshub(["runs", "--config", file, "--profile", "sandbox", "-o", "csv"], bareEnv(credentials)),
      wshub(["runs", "--config", file, "--profile", "nope", "--json"], bareEnv(credentials)),
    ]);
    expect(bare.code).toBe(9);
    expect(bare.stderr).toContain("no AWS credentials");
    expect(bare.stderr).toContain("(AWS_CREDENTIALS_UNAVAILABLE)");
    expect(bare.stderr).toContain("hint: configure AWS credentials");
    expect(bare.stderr).not.toMatch(/^\s+at /m);
    expect(withProfile.code).toBe(0);
    expect(withProfile.stdout.split("\n")[0]).toBe("run,started,status,accounts,assessed,rows,covered,errors,warnings");
    expect(missing.code).toBe(9);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      error: { code: "AWS_CREDENTIALS_UNAVAILABLE", details: { profile: "nope" } },
    });
  });

  it("audit dates are strict and normalised: a bare --until date includes that whole day", async () => {
    const hub = await world.hub((c) => {
      c.assignment = { mode: "off", target: "computer", allow: { accounts: ["333333333333", "444444444444"] } };
    });
    const { run } = await runHub(hub, { skipReports: true });
    const identity = await hub.identity();
    await assignFromStore(hub, { runId: run.runId, actor: identity.arn }, { defaultMode: "plan" });
    const file = configFile("audit", () => undefined);
    const audit = (...args: string[]) => wshub(["audit", "--run", run.runId, "--config", file, "--json", ...args]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const [all, untilToday, sinceTomorrow, limited, bad] = await Promise.all([
      audit(),
      audit("--until", today),
      audit("--since", tomorrow),
      audit("--limit", "1"),
      audit("--since", "2026-13-45"),
    ]);
    const count = (result: { stdout: string }) => (JSON.parse(result.stdout) as unknown[]).length;
    expect(count(all)).toBeGreaterThan(1);
    expect(count(untilToday)).toBe(count(all));
    expect(count(sinceTomorrow)).toBe(0);
    expect(count(limited)).toBe(1);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--since <iso>' argument '2026-13-45' is invalid");
  });
});
