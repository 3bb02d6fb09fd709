/**
 * `pnpm bench --only signals [--events 1000] [--instances 300] [--duplicates 0.3] [--seed 42]`: finding events end to
 * end through the sandbox. The injector puts them on the hub bus (moto EventBridge, 10 entries a PutEvents, as a
 * forwarder batches), the rule delivers them to the hub queue (moto SQS), and `REACT_CONCURRENCY` consumers, each one
 * Lambda container with its own adapters and call share, take batches of 10 and run their records in parallel, as
 * the event source mapping and Powertools' batch processor do. Consumers run while events are put (a stream, not a
 * backlog). Reported: events/s, Workload Security calls per distinct computer and for duplicates, PutEvents →
 * assignment in the audit trail for Inspector events (p50, p95), and moto's own PutEvents → SQS rate.
 */
import { cliLogger, demoConfig } from "@wshub/cli";
import { parseHubConfig, type HubConfigInput } from "@wshub/core";
import type { HubContext, ReactionOutcome } from "@wshub/hub";
import { createHubContext, createReactDeps, ensureSignalTable, ensureTables, reactToMessage } from "@wshub/runtime";
import { generateScenario, motoJson, startSandbox, type FindingSpec, type InjectOutcome } from "@wshub/sandbox";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signalsReport, type Handled } from "./signals-report.js";

export interface SignalsBenchOptions {
  seed: number;
  events: number;
  instances: number;
  /** Share of the events that are a second delivery of another. */
  duplicates: number;
}

/** The deployed default: the event source mapping's maximumConcurrency. */
const REACT_CONCURRENCY = 2;
const RECORDS_PER_BATCH = 10;
/** Empty receives in a row, after the last put, before a consumer stops. */
const IDLE_RECEIVES = 3;
/** Share of the distinct findings that are Inspector events (the rest GuardDuty). */
const INSPECTOR_SHARE = 0.5;

export async function benchSignals(options: SignalsBenchOptions): Promise<string> {
  // ~15 findings an instance: a small organization with more than 300 instances.
  const generated = generateScenario({ seed: options.seed, size: "S", shape: { findingsPerInstance: 15 } });
  const sandbox = await startSandbox(generated.scenario);
  try {
    const input: HubConfigInput = demoConfig(sandbox.info, mkdtempSync(join(tmpdir(), "wshub-signals-bench-")));
    input.mapping = generated.mapping;
    input.reports = { ...input.reports, writeEml: false } as HubConfigInput["reports"];
    input.assignment = {
      mode: "apply",
      target: "policy",
      allow: { organizationalUnits: ["ou-wl00-workloads", "ou-sb00-sandbox"] },
    };
    input.signals = { concurrency: REACT_CONCURRENCY };
    const { hub } = sandbox.info.aws;
    const ctx = createHubContext({
      config: parseHubConfig(input, "signals bench"),
      logger: cliLogger({ human: true, level: "error" }),
      credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey },
    });
    await ensureTables(ctx);
    await ensureSignalTable(ctx);
    const specs = findingSpecs(generated.scenario, options);
    const queue = { motoEndpoint: sandbox.aws.motoEndpoint, hubAccountId: hub.accountId, region: sandbox.info.region };
    const queueUrl = sandbox.info.signals.queueUrl.replace(/^https?:\/\/[^/]+/, sandbox.aws.motoEndpoint);
    const probe = await probeDelivery(sandbox.injectFindings, queue, queueUrl);
    sandbox.counter.reset();
    const state = { putting: true };
    const started = performance.now();
    const consumers = Array.from({ length: REACT_CONCURRENCY }, () => consume(ctx, { ...queue, queueUrl }, state));
    const duplicateRate = options.duplicates / (1 - options.duplicates);
    const injected = await sandbox.injectFindings({
      findings: specs,
      duplicateRate,
      outOfOrder: true,
      seed: options.seed,
    });
    state.putting = false;
    const putMs = performance.now() - started;
    const handled = (await Promise.all(consumers)).flat();
    const wallMs = performance.now() - started;
    return signalsReport({
      options,
      specs,
      injected,
      handled,
      putMs,
      wallMs,
      probe,
      calls: sandbox.counter.snapshot()["workload-security"],
      assignedAt: await assignmentTimes(ctx, specs),
    });
  } finally {
    await sandbox.stop();
  }
}

type Scenario = ReturnType<typeof generateScenario>["scenario"];

/** One finding for each instance, then the rest on instances at random; Inspector events name a CVE it has. */
function findingSpecs(scenario: Scenario, options: SignalsBenchOptions): FindingSpec[] {
  const instances = scenario.instances.slice(0, options.instances);
  const cves = new Map<string, string[]>();
  for (const f of scenario.findings)
    if (f.resourceType === "AWS_EC2_INSTANCE")
      cves.set(f.resourceId, [...(cves.get(f.resourceId) ?? []), f.vulnerabilityId]);
  const distinct = Math.round(options.events * (1 - options.duplicates));
  let random = options.seed;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: distinct }, (_, n) => {
    const instance = instances[n < instances.length ? n : Math.floor(next() * instances.length)] ?? instances[0];
    if (!instance) throw new Error("the scenario has no instance");
    const own = cves.get(instance.instanceId) ?? [];
    const common = { accountId: instance.accountId, region: instance.region, instanceId: instance.instanceId };
    if (own.length > 0 && next() < INSPECTOR_SHARE) {
      const cve = own[Math.floor(next() * own.length)] ?? "";
      return {
        ...common,
        kind: "inspector",
        cve,
        findingId: `arn:aws:inspector2:${instance.region}:${instance.accountId}:finding/bench-${n}`,
      };
    }
    return { ...common, kind: "guardduty", type: "Backdoor:EC2/C&CActivity.B", findingId: `bench-gd-${n}` };
  });
}

interface QueueRef {
  motoEndpoint: string;
  hubAccountId: string;
  region: string;
  queueUrl: string;
}

const sqs = <T>(queue: QueueRef, operation: string, body: object) =>
  motoJson<T>(queue.motoEndpoint, {
    service: "sqs",
    operation,
    accountId: queue.hubAccountId,
    region: queue.region,
    body: { QueueUrl: queue.queueUrl, ...body },
  });

interface Received {
  Messages?: { MessageId: string; ReceiptHandle: string; Body: string }[];
}

/** One Lambda container: its own adapters (tenant APIs and their call share), batches of 10, records in parallel. */
async function consume(
  ctx: HubContext & Parameters<typeof createReactDeps>[0],
  queue: QueueRef,
  state: { putting: boolean },
): Promise<Handled[]> {
  const deps = createReactDeps(ctx);
  const handled: Handled[] = [];
  for (let idle = 0; state.putting || idle < IDLE_RECEIVES;) {
    const messages =
      (await sqs<Received>(queue, "ReceiveMessage", { MaxNumberOfMessages: RECORDS_PER_BATCH })).Messages ?? [];
    idle = messages.length === 0 ? idle + 1 : 0;
    await Promise.all(
      messages.map(async (m) => {
        const eventId = (JSON.parse(m.Body) as { id?: string }).id ?? "";
        try {
          const outcome: ReactionOutcome = await reactToMessage(ctx, deps, m.Body, { plan: false });
          handled.push({
            eventId,
            status: outcome.status,
            calls: outcome.calls,
            doneAt: Date.now(),
            instanceIds: outcome.signal?.instanceIds ?? [],
          });
          await sqs(queue, "DeleteMessage", { ReceiptHandle: m.ReceiptHandle });
        } catch {
          handled.push({ eventId, status: "failed", calls: 0, doneAt: Date.now(), instanceIds: [] });
          await sqs(queue, "ChangeMessageVisibility", { ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 });
        }
      }),
    );
  }
  return handled;
}

/** moto alone: 100 events put (10 a call) and counted in the queue, before the run (and then removed). */
async function probeDelivery(
  inject: (request: { raw: { source: string; detailType: string; detail: unknown }[] }) => Promise<InjectOutcome>,
  queue: Omit<QueueRef, "queueUrl">,
  queueUrl: string,
): Promise<{ events: number; ms: number }> {
  const raw = Array.from({ length: 100 }, (_, i) => ({
    source: "aws.guardduty",
    detailType: "GuardDuty Finding",
    detail: { probe: i },
  }));
  const started = performance.now();
  await inject({ raw });
  const ref = { ...queue, queueUrl };
  const depth = await sqs<{ Attributes?: Record<string, string> }>(ref, "GetQueueAttributes", {
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  const ms = performance.now() - started;
  await sqs(ref, "PurgeQueue", {});
  return { events: Number(depth.Attributes?.["ApproximateNumberOfMessages"] ?? 0), ms };
}

/** When each Inspector finding's rules were assigned: its first `applied` ips-rules event in the audit trail. */
async function assignmentTimes(ctx: HubContext, specs: FindingSpec[]): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const spec of specs) {
    if (spec.kind !== "inspector" || !spec.findingId) continue;
    const events = await ctx.audit.query({ findingId: spec.findingId });
    const applied = events.filter((e) => e.action === "applied" && (e.change ?? "ips-rules") === "ips-rules");
    const first = Math.min(...applied.map((e) => Date.parse(e.at)));
    if (Number.isFinite(first)) times.set(spec.findingId, first);
  }
  return times;
}
