/**
 * The deployed path, measured: the Lambda handlers driven in the state machine's order (infra/src/run-state-machine.ts)
 * against the sandbox, each invocation in its own process (a cold container), with its wall time and peak RSS.
 * StartRun → Collect (distributed Map, batches of 5 accounts) → Prepare (one invocation a tenant) → Evaluate (distributed
 * Map, one invocation a batch of a tenant's accounts) → Assign when enabled
 * → Report (distributed Map, one account an invocation) → FinishRun.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cliLogger } from "@wshub/cli";
import { parseHubConfig, type HubConfigInput } from "@wshub/core";
import type { StartRunResult } from "@wshub/functions";
import { createHubContext, ensureTables } from "@wshub/runtime";
import type { SandboxInfo } from "@wshub/sandbox";
import { INVOCATION_MARKER } from "./invocation.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Accounts per collect invocation, as the hub stack sets it for member-role collection. */
const ACCOUNTS_PER_COLLECT_BATCH = 5;
/** Invocations at once inside a Map: the bench machine's two cores, not the deployment's Map concurrency. */
const MAP_CONCURRENCY = 2;
/** Lambda's limits the design must stay under, with room: 5 minutes and 2 GB an invocation. */
export const LAMBDA_BUDGET = { ms: 5 * 60_000, rssMb: 2048 } as const;

export interface Invocation<T = unknown> {
  ms: number;
  maxRssMb: number;
  result: T;
}

export interface StepStats {
  step: string;
  /** Invocations measured, of `of` in the step (fewer when sampled). */
  invocations: number;
  of: number;
  maxMs: number;
  totalMs: number;
  maxRssMb: number;
  withinBudget: boolean;
}

export interface LambdaPathResult {
  wallMs: number;
  steps: StepStats[];
  finished: Record<string, unknown>;
}

export interface LambdaPathOptions {
  config: HubConfigInput;
  info: SandboxInfo;
  outputDir: string;
  /** Report only these accounts (the largest: they bound the step's duration and memory); default every account. */
  reportAccounts?: string[];
  /**
   * Measure only this many items of the Collect and Evaluate maps, those with the most findings (they bound the step's
   * duration and memory), each in its own process. Only the accounts the measured evaluations need are collected
   * besides (in this process, unmeasured); the others stay uncollected, and the reports are of evaluated accounts.
   * At L the 200 collect batches as processes would take hours of process starts on two cores.
   */
  sample?: number;
  /** Findings per account, to pick the largest items. */
  findingsPerAccount?: Record<string, number>;
}

/** Unmeasured collect batches at once in the bench process (sampled mode). */
const IN_PROCESS_COLLECT_CONCURRENCY = 4;

interface CollectEvent {
  Items: string[];
  BatchInput: { runId: string };
}

/** The heaviest `sample` items (all when no sample is asked for). */
function heaviest<T>(items: { event: T; weight: number }[], sample: number | undefined): T[] {
  if (!sample || items.length <= sample) return items.map((i) => i.event);
  return [...items]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, sample)
    .map((i) => i.event);
}

/** Collect batches run in this process (unmeasured), a few at once, to give the measured evaluations their data. */
async function collectInProcess(batches: CollectEvent[], env: NodeJS.ProcessEnv): Promise<void> {
  const { collect, resetHubContext } = await import("@wshub/functions");
  Object.assign(process.env, env);
  // The functions keep their context for the container's life: this size's sandbox is not the previous size's (the
  // L Lambda path of `--sizes M,L` collected against M's stopped sandbox: ECONNREFUSED, 2026-12-04).
  resetHubContext();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await collect(batches[next++]!);
  };
  await Promise.all(Array.from({ length: IN_PROCESS_COLLECT_CONCURRENCY }, worker));
}

async function invoke<T = unknown>(step: string, event: unknown, env: NodeJS.ProcessEnv): Promise<Invocation<T>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", join(HERE, "lambda-invoke.ts"), step, JSON.stringify(event)],
    { env, maxBuffer: 200_000_000 },
  );
  const line = stdout.split("\n").find((l) => l.startsWith(INVOCATION_MARKER));
  if (!line) throw new Error(`${step} printed no result: ${stdout.slice(-2000)}`);
  // The line is the invocation's own JSON (test/bench/lambda-invoke.ts), typed by the step's handler.
  const invocation: Invocation<T> = JSON.parse(line.slice(INVOCATION_MARKER.length));
  process.stderr.write(`  ${step} ${invocation.ms} ms ${invocation.maxRssMb} MB\n`);
  return invocation;
}

/** Run the events through the step with a bounded number of processes at once, as a Map would. */
async function mapStep(step: string, events: unknown[], env: NodeJS.ProcessEnv): Promise<Invocation[]> {
  const out: Invocation[] = [];
  let next = 0;
  const worker = async () => {
    while (next < events.length) out.push(await invoke(step, events[next++], env));
  };
  await Promise.all(Array.from({ length: Math.min(MAP_CONCURRENCY, events.length) }, worker));
  return out;
}

function stats(step: string, invocations: Invocation[], of = invocations.length): StepStats {
  const maxMs = Math.max(0, ...invocations.map((i) => i.ms));
  const maxRssMb = Math.max(0, ...invocations.map((i) => i.maxRssMb));
  return {
    step,
    invocations: invocations.length,
    of,
    maxMs,
    totalMs: invocations.reduce((s, i) => s + i.ms, 0),
    maxRssMb,
    withinBudget: maxMs <= LAMBDA_BUDGET.ms && maxRssMb <= LAMBDA_BUDGET.rssMb,
  };
}

/** Tables of their own, so the Lambda path's run is a first run, whatever the CLI runs stored. */
async function createTables(options: LambdaPathOptions): Promise<void> {
  const ctx = createHubContext({
    config: parseHubConfig(options.config, "bench"),
    logger: cliLogger({ human: true, level: "error" }),
    credentials: options.info.aws.hub,
  });
  await ensureTables(ctx);
}

export async function benchLambdaPath(options: LambdaPathOptions): Promise<LambdaPathResult> {
  const config: HubConfigInput = {
    ...options.config,
    store: { findingsTable: "lambda-findings", runsTable: "lambda-runs", auditTable: "lambda-audit" },
  };
  await createTables({ ...options, config });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    WSHUB_CONFIG_JSON: JSON.stringify(config),
    WSHUB_OUTPUT_DIR: options.outputDir,
    AWS_ACCESS_KEY_ID: options.info.aws.hub.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.info.aws.hub.secretAccessKey,
    AWS_REGION: options.info.region,
    POWERTOOLS_LOG_LEVEL: "ERROR",
  };
  delete env["WSHUB_CONFIG_PARAMETER"];
  const started = performance.now();
  const steps: StepStats[] = [];
  const start = await invoke<StartRunResult>("startRun", { trigger: "test" }, env);
  steps.push(stats("StartRun", [start]));
  const run = start.result;
  const weightOf = (ids: string[]) => ids.reduce((sum, id) => sum + (options.findingsPerAccount?.[id] ?? 0), 0);
  const collectBatches: CollectEvent[] = [];
  for (let i = 0; i < run.accountIds.length; i += ACCOUNTS_PER_COLLECT_BATCH)
    collectBatches.push({
      Items: run.accountIds.slice(i, i + ACCOUNTS_PER_COLLECT_BATCH),
      BatchInput: { runId: run.runId },
    });
  const measuredCollects = heaviest(
    collectBatches.map((event) => ({ event, weight: weightOf(event.Items) })),
    options.sample,
  );
  const evaluations = heaviest(
    run.evaluationBatches.map((batch) => ({ event: { runId: run.runId, batch }, weight: weightOf(batch.accountIds) })),
    options.sample,
  );
  steps.push(stats("CollectAccounts", await mapStep("collect", measuredCollects, env), collectBatches.length));
  const collected = new Set(measuredCollects.flatMap((b) => b.Items));
  const needed = evaluations.flatMap((e) => e.batch.accountIds).filter((id) => !collected.has(id));
  const rest: CollectEvent[] = [];
  for (let i = 0; i < needed.length; i += ACCOUNTS_PER_COLLECT_BATCH)
    rest.push({ Items: needed.slice(i, i + ACCOUNTS_PER_COLLECT_BATCH), BatchInput: { runId: run.runId } });
  await collectInProcess(rest, env);
  const tenants = run.tenants.map((tenant) => ({ runId: run.runId, tenant }));
  steps.push(stats("PrepareTenant", await mapStep("prepareTenant", tenants, env)));
  const evaluated = await mapStep("evaluateAccounts", evaluations, env);
  steps.push(stats("EvaluateAccounts", evaluated, run.evaluationBatches.length));
  if (run.assign) steps.push(stats("Assign", [await invoke("assign", { runId: run.runId }, env)]));
  const evaluatedIds = new Set(evaluations.flatMap((e) => e.batch.accountIds));
  const reported = new Set(options.reportAccounts ?? run.accountIds);
  const accounts = run.accountIds
    .filter((id) => reported.has(id) && evaluatedIds.has(id))
    .map((accountId) => ({ runId: run.runId, accountId }));
  steps.push(stats("ReportAccount", await mapStep("reportAccount", accounts, env)));
  const finish = await invoke<Record<string, unknown>>("finishRun", { runId: run.runId }, env);
  steps.push(stats("FinishRun", [finish]));
  return { wallMs: Math.round(performance.now() - started), steps, finished: finish.result };
}

export function lambdaReport(result: LambdaPathResult): string {
  const lines = [
    `Lambda path (handlers in state-machine order, one process an invocation, ${MAP_CONCURRENCY} at once in a Map): wall ${(result.wallMs / 1000).toFixed(1)} s, finished ${JSON.stringify(result.finished)}`,
    "",
    "| step | invocations | max duration | sum of durations | max peak RSS | within 5 min and 2 GB |",
    "|---|---|---|---|---|---|",
  ];
  for (const s of result.steps)
    lines.push(
      `| ${s.step} | ${s.invocations === s.of ? s.invocations : `${s.invocations} of ${s.of} (the largest)`} | ${(s.maxMs / 1000).toFixed(1)} s | ${(s.totalMs / 1000).toFixed(1)} s | ${s.maxRssMb} MB | ${s.withinBudget ? "yes" : "**no**"} |`,
    );
  return lines.join("\n");
}
