import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { simpleParser } from "mailparser";
import { checkReferences, type Scenario } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wshub as wshubIn } from "../src/cli.js";
import { expectedRows, project } from "../src/expected.js";
import { exampleSmall, startWorld, type World } from "../src/harness.js";

/** The hub account of this scenario: example-small's payments-prod, standing alone (no AWS Organization). */
const HUB = "333333333333";

/** example-small reduced to one account that is its own hub and management account, with no organization. */
function standAlone(scenario: Scenario, accountId: string): Scenario {
  const account = scenario.organization.accounts.find((a) => a.id === accountId)!;
  return {
    ...scenario,
    name: "single-account",
    organization: {
      enabled: false,
      managementAccountId: accountId,
      hubAccountId: accountId,
      organizationalUnits: [],
      // No member role: anything that tried to assume one would be denied.
      accounts: [{ ...account, ouId: "root", tags: {}, memberRoleDeployed: false }],
    },
    instances: scenario.instances.filter((i) => i.accountId === accountId),
    findings: scenario.findings.filter((f) => f.accountId === accountId),
  };
}

let world: World;
let configFile: string;
const wshub = (args: string[]) => wshubIn(world, args);
const calls = (api: string) => world.sandbox.counter.snapshot()[api]?.byOperation ?? {};

beforeAll(async () => {
  const scenario = standAlone(exampleSmall(), HUB);
  expect(checkReferences(scenario)).toEqual([]);
  world = await startWorld(scenario);
  configFile = join(world.outputDir, "wshub.json");
  const config = world.config((c) => {
    delete c.organization;
    delete c.collection;
    c.mapping = { accounts: { [HUB]: "emea" } };
    c.reports = { ...c.reports!, recipients: { accounts: { [HUB]: ["pay-sec@example.com"] } } };
    c.assignment = { mode: "apply", target: "computer", allow: { accounts: [HUB] } };
  });
  writeFileSync(configFile, JSON.stringify(config));
});
afterAll(async () => {
  await world?.stop();
  if (world) rmSync(world.outputDir, { recursive: true, force: true });
});

describe("single-account mode on a sandbox without Organizations", () => {
  it("a stand-alone scenario is one account that is its own hub and management account", () => {
    const scenario = standAlone(exampleSmall(), HUB);
    expect(
      checkReferences({ ...scenario, organization: { ...scenario.organization, managementAccountId: "111111111111" } }),
    ).toEqual([
      "/organization/managementAccountId: account 111111111111 is not in accounts",
      "/organization/managementAccountId: without an organization, it is the hub account",
    ]);
  });

  it("wshub run assesses the hub's own account with its own credentials, assigns in apply mode, mails, audits", async () => {
    const run = await wshub(["run", "--config", configFile, "--json", "--create-tables"]);
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as {
      run: { runId: string; status: string; collectionMode: string; accountsAssessed: number };
    };
    expect(outcome.run).toMatchObject({ status: "succeeded", collectionMode: "single-account", accountsAssessed: 1 });

    // No Organizations call (the sandbox has no organization) and no role assumed: the hub's own key read everything.
    expect(calls("organizations")).toEqual({});
    expect(calls("sts")["AssumeRole"]).toBeUndefined();
    expect(calls("inspector2")["ListFindings"]).toBeGreaterThan(0);
    expect(calls("ec2")["DescribeInstances"]).toBeGreaterThan(0);

    // The account's CSV carries example-small's rows for it, the rule-available one assigned and audited.
    const folder = join(world.outputDir, outcome.run.runId);
    const csvName = readdirSync(folder).find((f) => f.startsWith(`ips-coverage-${HUB}`) && f.endsWith(".csv"))!;
    const csv = parse(readFileSync(join(folder, csvName), "utf8"), { columns: true }) as Record<string, string>[];
    expect(project(csv)).toEqual(project(expectedRows().filter((r) => r["account_id"] === HUB)));

    const audit = await wshub(["audit", "--cve", "CVE-2024-1002", "--config", configFile, "-o", "csv"]);
    const events = parse(audit.stdout, { columns: true }) as Record<string, string>[];
    expect(events.map((e) => e["action"]).sort()).toEqual(["applied", "intent"]);
    expect(events.every((e) => e["account_id"] === HUB && e["rule_identifiers"] === "1011002")).toBe(true);
    expect(calls("workload-security")["addIntrusionPreventionRuleIDsToComputer"]).toBe(2);

    const mails = await Promise.all(world.sandbox.aws.outbox().map((m) => simpleParser(m.raw)));
    const account = mails.find((m) => m.to && JSON.stringify(m.to).includes("pay-sec@example.com"));
    expect(account?.attachments.map((a) => a.filename).some((name) => name?.endsWith(".xlsx"))).toBe(true);
    expect(mails.some((m) => JSON.stringify(m.to).includes("central-security@example.com"))).toBe(true);
  });
});
