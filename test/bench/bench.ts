/**
 * `pnpm bench [--sizes S,M] [--seed 42] [--out FILE]`: generate scenarios, start the sandbox, run `wshub run` as its own
 * process against it (twice: the second run has nothing new), then `wshub assign --apply`, and print per stage the wall
 * time, findings per second, the hub process's peak RSS and the calls each API received, counted at the sandbox.
 *
 * Then the deployed path: the Lambda handlers in the state machine's order, one process an invocation, each step's
 * max duration and peak RSS (lambda-path.ts); `--only lambda` measures that alone, `--no-lambda` leaves it out.
 *
 * `--profile DIR` writes each run's CPU profiles (main thread and workers) to DIR/<size>/{first,second}
 * (profile-summary.ts).
 * `--no-assign` leaves the assignment step out. `--only generate` measures the generator alone (time and heap), `--only sandbox` also starts and stops the sandbox on
 * the generated scenario: the on-demand checks for size L, whose full run needs more than this machine's budget.
 * `--only compliance` measures a periodic AWS Config pass (compliance-bench.ts); `--only waf` the WAF inventory's calls
 * against their paging lower bound (waf-bench.ts); `--only signals [--events N] [--instances N] [--duplicates 0.3]`
 * finding events through bus, queue and the react use case (signals-bench.ts).
 */
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoConfig } from "@wshub/cli";
import type { HubConfigInput } from "@wshub/core";
import { benchCompliance } from "./compliance-bench.js";
import { benchWaf } from "./waf-bench.js";
import { generateScenario, startSandbox, type CallStats, type SandboxInfo, type ScenarioSize } from "@wshub/sandbox";
import { benchAssign, cliForm, hubProcess, wshub } from "./cli-process.js";
import type { HeapPeaks } from "./heap-trace.js";
import { benchLambdaPath, lambdaReport } from "./lambda-path.js";
import { benchSignals, REACT_CONCURRENCY } from "./signals-bench.js";
import { benchStartup } from "./startup-bench.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : fallback;
};
const sizes = flag("sizes", "S,M").split(",") as ScenarioSize[];
const seed = Number(flag("seed", "42"));

interface HubRun {
  wallMs: number;
  stageMs: Record<string, number>;
  maxRssMb: number;
  stageRssMb: Record<string, number>;
  stageStartedAt: Record<string, number>;
  heaps: HeapPeaks;
  findingsRead: number;
  findingsWritten: number;
  rows: number;
  status: string;
  calls: CallStats;
}

function ceilDiv(n: number, d: number): number {
  return Math.ceil(n / d);
}

/** Keyset paging at 5,000 a page: a full last page is followed by an empty one. */
function pages(items: number): number {
  return ceilDiv(items, 5000) + (items % 5000 === 0 ? 1 : 0);
}

async function benchSize(size: ScenarioSize) {
  const genStart = performance.now();
  const generated = generateScenario({ seed, size });
  const generationMs = Math.round(performance.now() - genStart);
  const sandboxStart = performance.now();
  let sandbox = await startSandbox(generated.scenario);
  const sandboxMs = Math.round(performance.now() - sandboxStart);
  const dir = mkdtempSync(join(tmpdir(), `wshub-bench-${size}-`));
  try {
    const config = benchConfig(sandbox.info, generated.mapping, dir);
    // The Lambda path's configuration is built for the sandbox it runs on (its own, after the CLI runs).
    const lambdaRun = (info: SandboxInfo) =>
      benchLambdaPath(
        lambdaOptions(info, benchConfig(info, generated.mapping, dir), dir, generated.facts.findingsPerAccount),
      );
    if (only === "lambda") return { kind: "lambda" as const, size, sandboxMs, lambda: await lambdaRun(sandbox.info) };
    const configFile = join(dir, "wshub.json");
    writeFileSync(configFile, JSON.stringify(config));
    const hub = hubProcess(size, {
      AWS_ACCESS_KEY_ID: sandbox.info.aws.hub.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.info.aws.hub.secretAccessKey,
      AWS_REGION: sandbox.info.region,
    });

    const profile = flag("profile", "");
    const run = async (extra: string[] = [], profileDir?: string): Promise<HubRun> => {
      sandbox.counter.reset();
      const { json, wallMs, stageRssMb, stageStartedAt, heaps } = await wshub(
        ["run", "--config", configFile, ...extra],
        hub,
        profileDir,
      );
      const record = json["run"] as
        { findingsRead: number; findingsWritten: number; coverageRows: number; status: string } | undefined;
      if (!record)
        throw new Error(`wshub run ${extra.join(" ")} answered no run: ${JSON.stringify(json).slice(0, 2000)}`);
      return {
        wallMs,
        stageMs: json["stageMs"] as Record<string, number>,
        maxRssMb: json["maxRssMb"] as number,
        stageRssMb,
        stageStartedAt,
        heaps,
        findingsRead: record.findingsRead,
        findingsWritten: record.findingsWritten,
        rows: record.coverageRows,
        status: record.status,
        calls: sandbox.counter.snapshot(),
      };
    };
    const profiled = (name: string) => (profile ? join(profile, size, name) : undefined);
    const first = await run(["--create-tables"], profiled("first"));
    progress("first run", first);
    const second = await run([], profiled("second"));
    progress("second run", second);

    const assign = args.includes("--no-assign") ? undefined : await benchAssign(config, dir, hub, sandbox.counter);
    // The Lambda path gets a sandbox of its own, seeded from the same scenario, as a fresh deployment would: its
    // DynamoDB Local holds only its own items (at L the CLI runs leave 3.3 M; with a 12 GB heap beside them the kernel
    // killed the JVM, 2026-12-03).
    const lambdaAfterCli = async () => {
      await sandbox.stop();
      sandbox = await startSandbox(generated.scenario);
      return lambdaRun(sandbox.info);
    };
    // A failure of the Lambda path (at L, a sandbox server out of memory) keeps the runs measured before it.
    const lambda = args.includes("--no-lambda")
      ? undefined
      : await lambdaAfterCli().catch((error: unknown) => ({ failed: messageOf(error) }));
    const reachable = generated.scenario.organization.accounts.filter(
      (a) => a.status === "ACTIVE" && a.memberRoleDeployed,
    );
    const inspectorLowerBound = reachable.reduce(
      (sum, a) => sum + ceilDiv(generated.facts.findingsPerAccount[a.id] ?? 0, 100),
      0,
    );
    const wsLowerBound = Object.fromEntries(
      generated.scenario.workloadSecurity.tenants.map((t) => [
        t.name,
        pages(t.ipsRules.length) +
          pages(t.computers.length) +
          // The WAF sheet (recommend mode, the default) names each instance's policy and its application class.
          pages(t.policies.length) +
          pages(t.applicationTypes?.length ?? 0),
      ]),
    );
    return {
      kind: "full" as const,
      size,
      facts: { ...generated.facts, findingsPerAccount: undefined },
      generationMs,
      sandboxMs,
      heapMb: hub.heapMb,
      mallocArenas: hub.env["MALLOC_ARENA_MAX"] ?? "glibc's default",
      first,
      second,
      assign,
      lambda,
      inspectorLowerBound,
      wsLowerBound,
    };
  } finally {
    await sandbox.stop();
  }
}

/** The demo configuration over the generated mapping, collecting through member roles, no .eml files. */
function benchConfig(info: SandboxInfo, mapping: HubConfigInput["mapping"], dir: string): HubConfigInput {
  const config = demoConfig(info, join(dir, "out"));
  config.mapping = mapping;
  config.collection = { ...config.collection, mode: "member-role", concurrency: 8 } as HubConfigInput["collection"];
  config.reports = { ...config.reports, writeEml: false };
  return config;
}

/**
 * The Lambda path writes its reports beside the CLI's, in a folder of its own. `--report-sample N` reports only the N
 * accounts with the most findings (they bound ReportAccount's duration and memory; each invocation is a process).
 * `--lambda-sample N` measures only the N heaviest items of the Collect and Evaluate maps (the rest run in process).
 */
function lambdaOptions(info: SandboxInfo, config: HubConfigInput, dir: string, findings: Record<string, number>) {
  const sample = Number(flag("report-sample", "0"));
  const mapSample = Number(flag("lambda-sample", "0"));
  const largest = Object.entries(findings)
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => id);
  return {
    info,
    config,
    outputDir: join(dir, "lambda-out"),
    ...(sample > 0 ? { reportAccounts: largest.slice(0, sample) } : {}),
    ...(mapSample > 0 ? { sample: mapSample, findingsPerAccount: findings } : {}),
  };
}

type SizeResult = Awaited<ReturnType<typeof benchSize>>;

/** Each run's figures as soon as it is measured, so a later failure does not lose them. */
function progress(name: string, run: HubRun): void {
  const stages = JSON.stringify(run.stageMs);
  const heaps = JSON.stringify(run.heaps);
  process.stderr.write(
    `  ${name}: ${run.wallMs} ms, stages ${stages}, peak RSS ${run.maxRssMb} MB, heaps ${heaps}, ${run.status}\n`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type LambdaResult = Awaited<ReturnType<typeof benchLambdaPath>>;

function lambdaLines(lambda: LambdaResult | { failed: string } | undefined): string {
  if (lambda === undefined) return "Lambda path: not measured (--no-lambda)";
  if ("failed" in lambda) return `Lambda path: **failed**: ${lambda.failed}`;
  return lambdaReport(lambda);
}

function report(result: SizeResult): string {
  if (result.kind === "lambda")
    return `## ${result.size}: sandbox start ${result.sandboxMs} ms\n\n${lambdaReport(result.lambda)}`;
  const lines: string[] = [];
  const { first, second } = result;
  const perSec = (run: HubRun) => Math.round(run.findingsRead / Math.max(0.001, (run.stageMs["collect"] ?? 0) / 1000));
  lines.push(
    `## ${result.size}: ${result.facts.accounts} accounts, ${result.facts.findings} findings, ${result.facts.instances} instances, ${result.facts.rulesPerTenant} rules/tenant, computers ${JSON.stringify(result.facts.computersPerTenant)}`,
  );
  lines.push(`generation ${result.generationMs} ms · sandbox start (incl. seeding) ${result.sandboxMs} ms`);
  lines.push(
    `hub process: ${cliForm()} CLI, main-thread heap cap ${result.heapMb} MB, MALLOC_ARENA_MAX=${result.mallocArenas}`,
  );
  lines.push("");
  lines.push(
    "| run | wall (process) | organization | collect | evaluate + report | roll-up | findings read/s | written | rows | peak RSS | status |",
  );
  lines.push("|---|---|---|---|---|---|---|---|---|---|---|");
  const ms = (value: number | undefined) => `${((value ?? 0) / 1000).toFixed(1)} s`;
  for (const [name, run] of [
    ["first", first],
    ["second (nothing new)", second],
  ] as const) {
    const s = run.stageMs;
    // Without assignment, reports render as accounts are evaluated (one stage); with it, evaluate, assign, report.
    const evaluateAndReport =
      (s["evaluate+report"] ?? 0) + (s["evaluate"] ?? 0) + (s["assign"] ?? 0) + (s["report"] ?? 0);
    lines.push(
      `| ${name} | ${ms(run.wallMs)} | ${ms(s["organization"])} | ${ms(s["collect"])} | ${ms(evaluateAndReport)} | ${ms(s["rollup"])} | ${perSec(run)} | ${run.findingsWritten} | ${run.rows} | ${run.maxRssMb} MB | ${run.status} |`,
    );
  }
  const peaks = (run: HubRun) =>
    Object.entries(run.stageRssMb)
      .map(([stage, mb]) => `${stage} ${mb} MB`)
      .join(", ");
  lines.push(`peak RSS by stage (sampled every 250 ms): first run ${peaks(first)}; second run ${peaks(second)}`);
  const heaps = ({ heaps: h }: HubRun) =>
    `main thread ${h.mainHeapMb} MB, report workers ${h.workerHeapMb} MB (+ ${h.workerBuffersMb} MB of buffers)`;
  lines.push(`peak V8 heaps (heapTotal, sampled every 500 ms): first run ${heaps(first)}; second run ${heaps(second)}`);
  lines.push(`speed-up of the second run: ${(first.wallMs / second.wallMs).toFixed(1)}×`);
  lines.push("");
  lines.push("| calls counted at the sandbox | first run | second run |");
  lines.push("|---|---|---|");
  for (const api of [...new Set([...Object.keys(first.calls), ...Object.keys(second.calls)])].sort())
    lines.push(`| ${api} | ${first.calls[api]?.total ?? 0} | ${second.calls[api]?.total ?? 0} |`);
  const inspector = first.calls["inspector2"];
  const listFindings = inspector?.byOperation["ListFindings"] ?? 0;
  lines.push("");
  lines.push(
    `Inspector calls: ${inspector?.total ?? 0} (${listFindings} ListFindings, ${inspector?.byOperation["ListCoverage"] ?? 0} ListCoverage) vs Σ ceil(findings/100) = ${result.inspectorLowerBound} → ${(((inspector?.total ?? 0) / result.inspectorLowerBound - 1) * 100).toFixed(1)} % over; EC2 DescribeInstances (the instance inventory): ${first.calls["ec2"]?.byOperation["DescribeInstances"] ?? 0}`,
  );
  const ws = first.calls["workload-security"]?.bySubject ?? {};
  lines.push(
    `Workload Security calls per tenant: ${Object.entries(result.wsLowerBound)
      .map(([t, bound]) => `${t} ${ws[t] ?? 0} (lower bound ${bound})`)
      .join(", ")}`,
  );
  const { assign } = result;
  lines.push(
    assign
      ? `Assignment: ${assign.changes} targets needed a change, ${assign.assignmentCallsAtSandbox} assignment calls counted at the sandbox, wall ${(assign.wallMs / 1000).toFixed(1)} s`
      : "Assignment: not measured (--no-assign)",
  );
  lines.push("", lambdaLines(result.lambda));
  return lines.join("\n");
}

const only = flag("only", "");
if (only === "compliance") {
  for (const size of sizes) process.stdout.write(`${await benchCompliance(size, seed)}\n\n`);
  process.exit(0);
}
if (only === "waf") {
  let ok = true;
  for (const size of sizes) {
    const result = await benchWaf(size, seed);
    ok &&= result.ok;
    process.stdout.write(`${result.report}\n\n`);
  }
  process.exit(ok ? 0 : 1);
}
if (only === "generate" || only === "sandbox") {
  for (const size of sizes) process.stdout.write(`${await benchStartup({ size, seed, only })}\n\n`);
  process.exit(0);
}
if (only === "signals") {
  const sized = (name: string, fallback: string) => Number(flag(name, fallback));
  const options = { seed, events: sized("events", "1000"), instances: sized("instances", "300") };
  const rate = flag("rate", "");
  const stream = {
    duplicates: sized("duplicates", "0.3"),
    consumers: sized("consumers", String(REACT_CONCURRENCY)),
    ...(rate ? { rate: Number(rate) } : {}),
  };
  process.stdout.write(`${await benchSignals({ ...options, ...stream })}\n\n`);
  process.exit(0);
}

const results = [];
for (const size of sizes) {
  process.stderr.write(`bench ${size}…\n`);
  // One size failing (a sandbox server out of memory at L) still reports the sizes before and after it.
  const result = await benchSize(size).catch((error: unknown) => {
    process.stdout.write(`## ${size}: **failed**: ${messageOf(error)}\n\n`);
    return undefined;
  });
  if (!result) continue;
  results.push(result);
  process.stdout.write(`${report(result)}\n\n`);
}
const out = flag("out", "");
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
