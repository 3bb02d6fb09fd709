import { randomBytes } from "node:crypto";
import {
  ERROR_CODES,
  WshubError,
  idempotencyKeyOf,
  mapAccountToTenant,
  mapWithConcurrency,
  planReaction,
  signalRef,
  type AuditEvent,
  type AuditStore,
  type BucketAccessReader,
  type NoticeTopic,
  type OrganizationListing,
  type ParsedEvent,
  type Rejection,
  type SecuritySignal,
  type SignalStore,
  type SignalTenantApi,
  type WsComputer,
} from "@wshub/core";
import { AuditRecorder, type AuditFields, type RecorderRun } from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { macieInstances } from "./react-macie.js";
import { runSteps, type StepRun } from "./react-steps.js";

/** What a reaction needs beyond the hub's context (built by the Lambda handler or the CLI). */
export interface ReactDeps {
  signals: SignalStore;
  /** A tenant's reaction API (the caller reads its key once per tenant and batch). */
  openTenant: (tenant: string) => Promise<SignalTenantApi>;
  /** IAM/S3/EC2 reads in a member account (its member role), for Macie. */
  bucketAccess: (accountId: string, region: string) => BucketAccessReader;
  /** The organization (the caller caches it for a few minutes across events). */
  organization: () => Promise<OrganizationListing>;
  composeNotice: (input: { from: string; to: string[]; subject: string; text: string }) => Promise<{ raw: Buffer }>;
  topic?: NoticeTopic;
  sleep?: (ms: number) => Promise<void>;
}

export interface ReactInput {
  parsed: ParsedEvent;
  /** Show what would be done: no change, no audit write, no idempotency record. */
  plan: boolean;
  /** The EventBridge envelope's id, named when an event of no known shape is rejected. */
  eventId?: string;
}

export interface ReactionOutcome {
  runId: string;
  status: "acted" | "planned" | "rejected" | "duplicate";
  signal?: SecuritySignal;
  rejection?: Rejection;
  /** Every audit event the reaction wrote (or, with `plan`, would write). */
  events: AuditEvent[];
  /**
   * Workload Security calls the tenant's client made while this reaction ran (retries included); where one container
   * handles a batch's records in parallel, they share the client and this includes the others' calls.
   */
  calls: number;
}

/** Instance look-ups in flight at once for one event (a Macie bucket can reach many instances). */
export const SIGNAL_LOOKUP_CONCURRENCY = 4;
/** An event is held this long by the invocation handling it; a crashed holder's claim then expires. */
export const EVENT_HOLD_SECONDS = 900;

/**
 * React to one security event (docs/integrations.md): parse result → idempotency → account and tenant → the
 * instances and their computers → the plan → scans, assignments and notices through the audited write path. Bad
 * input is recorded as `rejected` and answered, never thrown; a retryable failure (an outage, throttling that outlived
 * the backoff) releases the event's claims and throws, so the queue delivers it again and, at last, to its DLQ.
 */
export async function react(ctx: HubContext, deps: ReactDeps, input: ReactInput): Promise<ReactionOutcome> {
  const run = { runId: reactionRunId(ctx), actor: await actorOf(ctx) };
  const auditCtx = input.plan ? { audit: dryRunAudit, clock: ctx.clock } : ctx;
  const settings = ctx.config.signals;
  // `--plan` is a dry run; the configuration's plan mode writes the trail but makes no scan or assignment.
  const plan = input.plan || settings.mode === "plan";
  const mode = plan ? "plan" : "apply";
  if (!input.parsed.ok) {
    const recorder = new AuditRecorder(auditCtx, run, mode);
    await recorder.record([rejectedFields(run.runId, input.parsed.rejection, { eventId: input.eventId })]);
    return {
      runId: run.runId,
      status: "rejected",
      rejection: input.parsed.rejection,
      events: recorder.events,
      calls: 0,
    };
  }
  const signal = input.parsed.signal;
  const recorder = new AuditRecorder(auditCtx, run, mode, signalRef(signal));
  const key = idempotencyKeyOf(signal);
  if (!input.plan) {
    const claim = await deps.signals.claimEvent(key, {
      now: ctx.clock.now(),
      holdSeconds: EVENT_HOLD_SECONDS,
      keepDays: settings.idempotencyDays,
    });
    if (claim === "done") return { runId: run.runId, status: "duplicate", signal, events: [], calls: 0 };
    if (claim === "in-progress")
      throw new WshubError(ERROR_CODES.LEASE_HELD, `${signal.source} finding ${signal.findingId} is being handled`, {
        findingId: signal.findingId,
      });
  }
  const step: StepRun = { ctx, deps, signal, recorder, plan, dryRun: input.plan, windows: [], calls: 0 };
  try {
    const { status, rejection } = await reactToSignal(step);
    if (!input.plan)
      await deps.signals.completeEvent(key, { now: ctx.clock.now(), keepDays: settings.idempotencyDays });
    return {
      runId: run.runId,
      status,
      signal,
      events: recorder.events,
      calls: step.calls,
      ...(rejection ? { rejection } : {}),
    };
  } catch (error) {
    if (!input.plan) {
      for (const [kind, windowKey] of step.windows) await deps.signals.releaseWindow(kind, windowKey);
      await deps.signals.releaseEvent(key);
    }
    throw error;
  }
}

async function reactToSignal(step: StepRun): Promise<Pick<ReactionOutcome, "status" | "rejection">> {
  const { ctx, deps, signal } = step;
  const listing = await deps.organization();
  const account = listing.accounts.find((a) => a.id === signal.accountId);
  const known = new Set(ctx.config.tenants.map((t) => t.name));
  const tenant = account ? mapAccountToTenant(account, ctx.config.mapping, known).tenant : null;
  // Stored as the weekly run stores it (any status), so the next report agrees with what the event showed.
  if (signal.finding && account && !step.dryRun) await ctx.findings.put([signal.finding]);
  const api = account && tenant ? await deps.openTenant(tenant) : undefined;
  const before = api?.calls ?? 0;
  const instanceIds =
    signal.source === "macie" && account && tenant ? await macieInstances(step, tenant) : signal.instanceIds;
  const computers = api ? await lookUp(api, instanceIds) : new Map<string, WsComputer>();
  const plan = planReaction({ signal, account, tenant, instanceIds, computers, settings: ctx.config.signals });
  if (plan.kind === "reject") {
    await step.recorder.record([rejectedFields(step.recorder.run.runId, plan.rejection, { signal, tenant })]);
    step.calls = (api?.calls ?? 0) - before;
    return { status: "rejected", rejection: plan.rejection };
  }
  if (!api) throw new WshubError(ERROR_CODES.INTERNAL, "a reaction without its tenant");
  await runSteps(step, {
    tenant: plan.tenant,
    account: plan.account,
    organization: listing.accounts,
    api,
    steps: plan.steps,
  });
  step.calls = api.calls - before;
  return { status: step.plan ? "planned" : "acted" };
}

async function lookUp(api: SignalTenantApi, instanceIds: string[]): Promise<Map<string, WsComputer>> {
  const found = await mapWithConcurrency(instanceIds, SIGNAL_LOOKUP_CONCURRENCY, (id) => api.computerForInstance(id));
  const map = new Map<string, WsComputer>();
  instanceIds.forEach((id, i) => {
    const computer = found[i];
    if (computer) map.set(id, computer);
  });
  return map;
}

/** A `rejected` event: why the event was acknowledged without action. */
export function rejectedFields(
  runId: string,
  rejection: Rejection,
  about: { signal?: SecuritySignal; tenant?: string | null; eventId?: string | undefined },
): AuditFields {
  const { signal } = about;
  return {
    action: "rejected",
    change: "signal",
    changeId: `${runId}#signal`,
    tenant: about.tenant ?? "",
    accountId: signal?.accountId ?? "",
    region: signal?.region ?? "",
    ...(signal?.instanceIds[0] ? { instanceId: signal.instanceIds[0] } : {}),
    targetKind: "signal",
    targetId: signal?.findingId ?? about.eventId ?? "unknown",
    ruleIds: [],
    ruleIdentifiers: [],
    ruleNames: [],
    cves: signal?.cve ? [signal.cve] : [],
    findingArns: signal?.source === "inspector" ? [signal.findingId] : [],
    reason: `${rejection.reason}: ${rejection.detail}`,
  };
}

function reactionRunId(ctx: HubContext): string {
  const stamp = ctx.clock
    .now()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `signal-${stamp}-${randomBytes(3).toString("hex")}`;
}

const actors = new WeakMap<HubContext, Promise<string>>();
/** The caller's ARN, asked once per context (not once per event). */
function actorOf(ctx: HubContext): Promise<string> {
  let actor = actors.get(ctx);
  if (!actor) {
    actor = ctx.identity().then((identity) => identity.arn);
    actors.set(ctx, actor);
  }
  return actor;
}

/** `--plan`: the events are shown, never stored. */
const dryRunAudit: AuditStore = {
  append: async () => {},
  query: async () => [],
  unresolvedIntents: async () => [],
};

export type { RecorderRun };
