/**
 * `pnpm bench --only signals [--events 1000] [--instances 300] [--duplicates 0.3] [--rate N] [--consumers 2]`: finding
 * events end to end through the sandbox. The injector puts them on the hub bus (moto EventBridge, 10 entries a
 * PutEvents, as a forwarder batches; `--rate` paces them as a stream of N events a second, otherwise a burst), the
 * rule delivers them to the hub queue (moto SQS), and `--consumers` (default `REACT_CONCURRENCY`) consumers, each one
 * Lambda container with its own adapters and call share, take batches of 10 and run their records in parallel, as
 * the event source mapping and Powertools' batch processor do. Consumers run while events are put (a stream, not a
 * backlog). Reported: events/s, Workload Security calls per distinct computer and for duplicates, PutEvents →
 * assignment in the audit trail for Inspector events (p50, p95), and moto's own PutEvents → SQS rate.
 */
import { cliLogger, demoConfig } from "@wshub/cli";
import { parseHubConfig, type HubConfigInput } from "@wshub/core";
import type { HubContext } from "@wshub/hub";
import { createHubContext, ensureSignalTable, ensureTables } from "@wshub/runtime";
import { generateScenario, startSandbox, type FindingSpec, type InjectOutcome } from "@wshub/sandbox";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consume, sqs, type QueueRef } from "./signals-consumer.js";
import { signalsReport } from "./signals-report.js";

export interface SignalsBenchOptions {
  seed: number;
  events: number;
  instances: number;
  /** Share of the events that are a second delivery of another. */
  duplicates: number;
  /** Events a second the injector puts (a stream); absent: as fast as the bus takes them (a burst). */
  rate?: number;
  /** Lambda containers consuming at once (the event source mapping's maximumConcurrency, `signals.concurrency`). */
  consumers: number;
}

/** The deployed default: the event source mapping's maximumConcurrency. */
export const REACT_CONCURRENCY = 2;
/** Every second instance gets Inspector events, the others GuardDuty findings. */
const INSPECTOR_EVERY = 2;
/** Findings delivered once more after the run (all duplicates by then). */
const REPLAYED = 50;
/** Every finding's revision time: a replay is the same revision. */
const UPDATED_AT = "2026-12-01T10:00:00.000Z";

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
    input.signals = { concurrency: options.consumers };
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
    const ref: QueueRef = { ...queue, queueUrl };
    sandbox.counter.reset();
    const duplicateRate = options.duplicates / (1 - options.duplicates);
    const pace = options.rate === undefined ? {} : { eventsPerSecond: options.rate };
    const inject = { findings: specs, duplicateRate, outOfOrder: true, seed: options.seed, ...pace };
    const main = await stream(ctx, ref, options.consumers, () => sandbox.injectFindings(inject));
    const calls = sandbox.counter.snapshot()["workload-security"];
    // Each finding once more, as a late redelivery: every one a duplicate, answered without a call.
    sandbox.counter.reset();
    const replay = await stream(ctx, ref, options.consumers, () =>
      sandbox.injectFindings({ findings: specs.slice(0, REPLAYED) }),
    );
    const replayCalls = sandbox.counter.snapshot()["workload-security"]?.total ?? 0;
    return signalsReport({
      options,
      specs,
      ...main,
      probe,
      calls,
      replay: {
        events: replay.injected.put,
        calls: replayCalls,
        duplicates: replay.handled.filter((h) => h.status === "duplicate").length,
      },
      inspector: await inspectorOutcomes(ctx, specs),
    });
  } finally {
    await sandbox.stop();
  }
}

/** CVEs a prevent-mode rule covers and no rule covering them is assigned anywhere, in any tenant. */
function unassignedCoveredCves(scenario: Scenario): Set<string> {
  const cves = new Set<string>();
  const shielded = new Set<string>();
  for (const tenant of scenario.workloadSecurity.tenants) {
    const holders = [...(tenant.policies ?? []), ...(tenant.computers ?? [])];
    const assigned = new Set(holders.flatMap((h) => h.ipsRuleIds ?? []));
    for (const rule of tenant.ipsRules) for (const cve of rule.cves) if (!rule.detectOnly) cves.add(cve);
    for (const rule of tenant.ipsRules) if (assigned.has(rule.id)) for (const cve of rule.cves) shielded.add(cve);
  }
  return new Set([...cves].filter((cve) => !shielded.has(cve)));
}

/** Consumers run while the events are put (a stream, not a backlog); done when the queue stays empty. */
async function stream(
  ctx: Parameters<typeof consume>[0],
  ref: QueueRef,
  count: number,
  put: () => Promise<InjectOutcome>,
) {
  const state = { putting: true };
  const started = performance.now();
  const consumers = Array.from({ length: count }, () => consume(ctx, ref, state));
  const injected = await put().finally(() => (state.putting = false));
  const putMs = performance.now() - started;
  const handled = (await Promise.all(consumers)).flat();
  return { injected, handled, putMs, wallMs: performance.now() - started };
}

type Scenario = ReturnType<typeof generateScenario>["scenario"];

/**
 * One finding for each instance, then the rest on instances at random. Inspector events report a new vulnerability:
 * a CVE that a prevent-mode rule covers and that no rule assigned anywhere covers yet, the event to act on.
 */
function findingSpecs(scenario: Scenario, options: SignalsBenchOptions): FindingSpec[] {
  const instances = scenario.instances.slice(0, options.instances);
  const fresh = [...unassignedCoveredCves(scenario)].sort();
  const distinct = Math.round(options.events * (1 - options.duplicates));
  let random = options.seed;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: distinct }, (_, n) => {
    const index = n < instances.length ? n : Math.floor(next() * instances.length);
    const instance = instances[index];
    if (!instance) throw new Error("the scenario has no instance");
    const common = {
      accountId: instance.accountId,
      region: instance.region,
      instanceId: instance.instanceId,
      updatedAt: UPDATED_AT,
    };
    // An instance gets Inspector events or GuardDuty ones: a GuardDuty scan would apply the rules an Inspector
    // event is about (the simulator recommends them), leaving it nothing to assign.
    const cve = fresh[Math.floor(next() * fresh.length)];
    if (cve && index % INSPECTOR_EVERY === 0) {
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

/**
 * When each Inspector finding's rules were assigned (its first `applied` ips-rules event in the audit trail), and
 * what became of the others (the first ips-rules event's action and reason, or none: no covering rule).
 */
async function inspectorOutcomes(ctx: HubContext, specs: FindingSpec[]) {
  const assignedAt = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  for (const spec of specs) {
    if (spec.kind !== "inspector" || !spec.findingId) continue;
    const events = (await ctx.audit.query({ findingId: spec.findingId })).filter(
      (e) => (e.change ?? "ips-rules") === "ips-rules",
    );
    const applied = events.filter((e) => e.action === "applied").map((e) => Date.parse(e.at));
    if (applied.length > 0) assignedAt.set(spec.findingId, Math.min(...applied));
    const first = events.find((e) => e.action === "applied") ?? events[0];
    const coverage = /: ([a-z-]+): /.exec(first?.reason ?? "")?.[1];
    const key = first ? `${first.action}${coverage ? ` (${coverage})` : ""}` : "none (not protected: a notice)";
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return { assignedAt, outcomes };
}
