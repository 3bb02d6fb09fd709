import { describeLease, ERROR_CODES, summarizeError, WshubError, type Lease, type LeaseHolder } from "@wshub/core";
import type { HubContext } from "./context.js";

export interface LeaseOptions {
  /** Wait up to this long for a held lease (default: refuse at once). */
  waitMs?: number;
  /** Called when we take over an expired lease: its holder died without releasing it. */
  onTakeover?: (expired: Lease) => Promise<void>;
  /** Called after each successful renewal with the new expiry. */
  onRenew?: (expiresAt: Date) => Promise<void>;
}

/** While a lease is held: whether it still is (a heartbeat found it taken over), checked before every write. */
export interface LeaseGuard {
  assertHeld(): void;
}

const POLL_MS = 2_000;

function ttlMs(ctx: HubContext): number {
  return ctx.config.hub.leaseSeconds * 1000;
}

/** Take a lease (waiting up to `waitMs`), or refuse with LEASE_HELD naming the holder. */
export async function acquireLease(
  ctx: HubContext,
  name: string,
  holder: LeaseHolder,
  options: LeaseOptions = {},
): Promise<Lease> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const claim = await ctx.leases.acquire(name, holder, ttlMs(ctx), ctx.clock.now());
    if (claim.acquired) {
      if (claim.replaced) await options.onTakeover?.(claim.replaced);
      ctx.logger.debug("lease acquired", { lease: name, runId: holder.runId });
      return claim.lease;
    }
    if (Date.now() >= deadline)
      throw new WshubError(
        ERROR_CODES.LEASE_HELD,
        `${name === "run" ? "another run is in progress" : `another writer holds ${name}`}: ${describeLease(claim.current, ctx.clock.now())}; wait for it (--wait) or, if it crashed, for its lease to expire`,
        { lease: name, holder: claim.current.holder.runId },
      );
    ctx.logger.debug("lease held, waiting", { lease: name, holder: claim.current.holder.runId });
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}

export async function renewLease(ctx: HubContext, name: string, runId: string): Promise<Date | undefined> {
  const now = ctx.clock.now();
  const kept = await ctx.leases.renew(name, runId, ttlMs(ctx), now);
  return kept ? new Date(now.getTime() + ttlMs(ctx)) : undefined;
}

export function releaseLease(ctx: HubContext, name: string, runId: string): Promise<void> {
  return ctx.leases.release(name, runId);
}

/**
 * Hold leases (taken in name order, so two holders never wait on each other) while `fn` runs, renewing them every
 * third of their lifetime, and release them however `fn` ends. A lease lost to a takeover makes `assertHeld` throw.
 */
export async function withLeases<T>(
  ctx: HubContext,
  names: string[],
  holder: LeaseHolder,
  fn: (guard: LeaseGuard) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const held: string[] = [];
  let lost: string | undefined;
  const heartbeat = setInterval(
    () => {
      void Promise.all(
        held.map(async (name) => {
          const expiresAt = await renewLease(ctx, name, holder.runId);
          if (!expiresAt) lost ??= name;
          else await options.onRenew?.(expiresAt);
        }),
      ).catch((error: unknown) => ctx.logger.warn("lease heartbeat failed", { reason: summarizeError(error).message }));
    },
    ttlMs(ctx) / 3,
  );
  heartbeat.unref();
  try {
    for (const name of [...new Set(names)].sort()) {
      await acquireLease(ctx, name, holder, options);
      held.push(name);
    }
    return await fn({
      assertHeld: () => {
        if (lost)
          throw new WshubError(
            ERROR_CODES.LEASE_LOST,
            `lease ${lost} was lost (taken over after its heartbeat lapsed)`,
            {
              lease: lost,
            },
          );
      },
    });
  } finally {
    clearInterval(heartbeat);
    await Promise.all(held.map((name) => releaseLease(ctx, name, holder.runId).catch(() => undefined)));
  }
}
