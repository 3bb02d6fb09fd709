import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { simpleParser } from "mailparser";
import { runHub } from "@wshub/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "../../apps/cli/scripts/bundle.js";
import { configFile as configFileFor, sandboxEnv, startCli, wshub as wshubIn } from "../src/cli.js";
import { startWorld, type World } from "../src/harness.js";

let world: World;
let configFile: string;

beforeAll(async () => {
  world = await startWorld();
  configFile = join(world.outputDir, "wshub.json");
  writeFileSync(
    configFile,
    JSON.stringify(
      world.config(
        (c) =>
          (c.assignment = { mode: "off", target: "computer", allow: { accounts: ["333333333333", "444444444444"] } }),
      ),
    ),
  );
});
afterAll(async () => world?.stop());

/** `wshub <args>` as a user runs it: its own process, credentials from the environment. */
const wshub = (args: string[]) => wshubIn(world, args);

describe("the wshub command", () => {
  it("runs, plans, applies, audits, rebuilds reports and lists runs, with the documented exit codes", async () => {
    const run = await wshub(["run", "--config", configFile, "--json", "--create-tables"]);
    expect(run.code).toBe(0);
    const runId = (JSON.parse(run.stdout) as { run: { runId: string; status: string } }).run.runId;
    expect((await wshub(["run", "--config", configFile, "--fail-on-partial"])).code).toBe(5);

    const plan = JSON.parse((await wshub(["assign", "--plan", "--config", configFile, "--json"])).stdout) as {
      calls: number;
      changes: unknown[];
    };
    expect([plan.calls, plan.changes.length]).toEqual([0, 2]);
    const apply = JSON.parse(
      (await wshub(["assign", "--apply", "--run", runId, "--config", configFile, "--json"])).stdout,
    ) as { calls: number };
    expect(apply.calls).toBe(2);

    const audit = await wshub(["audit", "--cve", "CVE-2024-1002", "--config", configFile, "-o", "csv"]);
    const events = parse(audit.stdout, { columns: true }) as Record<string, string>[];
    expect(events.map((e) => e["action"]).sort()).toEqual(["applied", "intent", "planned"]);
    expect(events.every((e) => e["instance_id"] === "i-0a10000000000001" && e["rule_identifiers"] === "1011002")).toBe(
      true,
    );

    const report = JSON.parse(
      (await wshub(["report", "--run", runId, "--no-email", "--config", configFile, "--json"])).stdout,
    ) as { accounts: unknown[] };
    expect(report.accounts).toHaveLength(5);
    const runs = JSON.parse((await wshub(["runs", "--config", configFile, "--json"])).stdout) as { runId: string }[];
    expect(runs.map((r) => r.runId)).toContain(runId);

    expect((await wshub(["rollback", "--run", "run-that-never-was", "--config", configFile])).code).toBe(7);
    const broken = await wshub(["run", "--config", join(world.outputDir, "missing.yaml")]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain("missing.yaml does not exist");
  });

  it("mails presigned links instead of attachments when a report would exceed the size limit", async () => {
    const hub = await world.hub((c) => {
      c.reports = { ...c.reports, maxMessageBytes: 10_000 };
      c.store = { findingsTable: "link-findings", runsTable: "link-runs", auditTable: "link-audit" };
    });
    const { ensureTables } = await import("@wshub/runtime");
    await ensureTables(hub);
    const before = world.sandbox.aws.outbox().length;
    const outcome = await runHub(hub);
    const records = await hub.runs.listAccountRuns(outcome.run.runId);
    expect(records.find((r) => r.accountId === "333333333333")?.email?.status).toBe("link");
    const sent = world.sandbox.aws.outbox().slice(before);
    const message = await simpleParser(sent.find((m) => m.raw.toString().includes("pay-sec@example.com"))!.raw);
    expect(message.attachments).toHaveLength(0);
    const url = /https?:\/\/\S+?\.csv\S*/.exec(message.text ?? "")?.[0];
    expect(url).toBeDefined();
    const csv = await (await fetch(url!.replace(/[)>\]]+$/, ""))).text();
    expect(csv.split("\r\n")[0]).toContain("vulnerability_id");
  });

  it("runs as the bundle the benchmark measures, its report worker beside it; the sandbox commands are not in it", async () => {
    const bundle = await bundleCli();
    const outputDir = join(world.outputDir, "bundled");
    const trace = join(world.outputDir, "bundled-memory");
    const env = { ...sandboxEnv(world), WSHUB_REPORT_WORKERS: "1", WSHUB_MEMORY_TRACE: trace };
    const config = configFileFor(world, "bundled", (c) => {
      c.store = { findingsTable: "bundle-findings", runsTable: "bundle-runs", auditTable: "bundle-audit" };
      c.reports = { ...c.reports, outputDir };
    });
    const run = await startCli(bundle, ["run", "--config", config, "--json", "--create-tables"], env).done;
    expect(run.code, run.stderr).toBe(0);
    const { run: record, accounts } = JSON.parse(run.stdout) as {
      run: { runId: string };
      accounts: { email?: { status: string } }[];
    };
    const files = readdirSync(join(outputDir, record.runId), { recursive: true }).map(String);
    // Five accounts' reports (the worker's) and the organization's roll-up (the main thread's).
    expect(files.filter((f) => f.endsWith(".xlsx"))).toHaveLength(6);
    // The two accounts with an owner were mailed by the worker; the other three have no recipients.
    expect(accounts.map((a) => a.email?.status ?? "none").sort()).toEqual([
      "none",
      "sent",
      "sent",
      "skipped",
      "skipped",
      "skipped",
    ]);

    const samples = readFileSync(trace, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { rss: number });
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.rss > 0)).toBe(true);

    const demo = await startCli(bundle, ["demo"], env).done;
    expect([demo.code, demo.stderr.includes("SANDBOX_NOT_INSTALLED")]).toEqual([10, true]);
  });
});
