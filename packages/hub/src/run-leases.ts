import { ERROR_CODES, RUN_LEASE, summarizeError, tenantLease, WshubError, type Lease } from "@wshub/core";
import type { HubContext } from "./context.js";
import { acquireLease, releaseLease, renewLease, withLeases, type LeaseGuard } from "./lease.js";

/**
 * The leases of runs and tenant writers, and what a run's record says when its holder stops: interrupted (a signal,
 * recorded as it happens) or abandoned (found later, when its expired lease is taken over).
 */
/**
 * SIGINT/SIGTERM: record the run as interrupted (what was written stays: watermarks only move for finished accounts,
 * intents without outcome are reconciled later) and give up its leases, so the next run need not wait for them.
 */
export async function interruptRun(ctx: HubContext, runId: string, signal: string): Promise<void> {
  await ctx.runs.closeUnfinished(runId, "interrupted", ctx.clock.now().toISOString(), {
    scope: "run",
    subject: runId,
    code: ERROR_CODES.RUN_INTERRUPTED,
    message: `stopped by ${signal}`,
  });
  const names = [RUN_LEASE, ...ctx.config.tenants.map((t) => tenantLease(t.name))];
  await Promise.all(names.map((name) => releaseLease(ctx, name, runId).catch(() => undefined)));
}

/** A run whose lease expired without a release died without a word: say so in its record. */
export async function abandonRun(ctx: HubContext, expired: Lease, takenOverBy: string): Promise<void> {
  const closed = await ctx.runs.closeUnfinished(expired.holder.runId, "abandoned", ctx.clock.now().toISOString(), {
    scope: "run",
    subject: expired.holder.runId,
    code: ERROR_CODES.RUN_ABANDONED,
    message: `its heartbeat stopped (lease expired at ${new Date(expired.expiresAt).toISOString()}); ${takenOverBy} took over`,
  });
  if (closed) ctx.logger.warn("an earlier run was abandoned", { runId: expired.holder.runId, takenOverBy });
}

/** The state machine's first step: take the `run` lease for this run (refused with LEASE_HELD while another holds it). */
export async function claimRun(ctx: HubContext, runId: string, actor: string): Promise<void> {
  await acquireLease(
    ctx,
    RUN_LEASE,
    { runId, actor, ...(ctx.host ? { where: ctx.host } : {}) },
    { onTakeover: (expired) => abandonRun(ctx, expired, runId) },
  );
}

/**
 * A later step of a run spread over many invocations: renew the run's lease and heartbeat now and while `fn` runs.
 * A lease already taken over by another run fails the step with LEASE_LOST rather than let two runs write.
 */
export async function whileRunHeld<T>(ctx: HubContext, runId: string, fn: () => Promise<T>): Promise<T> {
  const beat = async () => {
    const expiresAt = await renewLease(ctx, RUN_LEASE, runId);
    if (!expiresAt)
      throw new WshubError(ERROR_CODES.LEASE_LOST, `run ${runId} no longer holds the run lease`, { runId });
    await ctx.runs.heartbeat(runId, expiresAt.toISOString());
  };
  await beat();
  const timer = setInterval(
    () => void beat().catch((error: unknown) => ctx.logger.warn("run heartbeat failed", { ...summarizeError(error) })),
    (ctx.config.hub.leaseSeconds * 1000) / 3,
  );
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** The last step: give the run lease back. */
export function releaseRun(ctx: HubContext, runId: string): Promise<void> {
  return releaseLease(ctx, RUN_LEASE, runId);
}

/** Hold every named tenant's lease (any write to a tenant's Workload Security) while `fn` runs. */
export function withTenantLeases<T>(
  ctx: HubContext,
  run: { runId: string; actor: string },
  tenants: string[],
  waitMs: number | undefined,
  fn: (guard: LeaseGuard) => Promise<T>,
): Promise<T> {
  const holder = { runId: run.runId, actor: run.actor, ...(ctx.host ? { where: ctx.host } : {}) };
  return withLeases(ctx, tenants.map(tenantLease), holder, fn, {
    ...(waitMs === undefined ? {} : { waitMs }),
    // A tenant writer whose lease lapsed died: if it was a run, its record says so from now on.
    onTakeover: (expired) => abandonRun(ctx, expired, run.runId),
  });
}
