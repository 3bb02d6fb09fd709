/**
 * One writer at a time: a lease is a named item in the store with a holder and an expiry. It is taken with a
 * conditional put (free, expired, or already ours), kept alive by heartbeats while the work runs, and released at the
 * end; a crashed holder stops heartbeating and its lease expires. Names: `run` (a whole run) and `tenant#<name>` (any
 * write to that tenant's Workload Security).
 */
export interface LeaseHolder {
  /** The run (or reaction, rollback, check) holding it. */
  runId: string;
  actor: string;
  /** Where it runs: host and pid, or the Lambda request id. */
  where?: string;
}

export interface Lease {
  name: string;
  holder: LeaseHolder;
  acquiredAt: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type LeaseClaim = { acquired: true; lease: Lease; replaced?: Lease } | { acquired: false; current: Lease };

export interface LeaseStore {
  /** Take the lease if it is free, expired or already held by `holder.runId`; else say who holds it. */
  acquire(name: string, holder: LeaseHolder, ttlMs: number, now: Date): Promise<LeaseClaim>;
  /** Extend our lease; false when it is no longer ours (it expired and someone else took it). */
  renew(name: string, runId: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Give it up if it is ours; a no-op otherwise. */
  release(name: string, runId: string): Promise<void>;
  get(name: string): Promise<Lease | undefined>;
}

export const RUN_LEASE = "run";

export function tenantLease(tenant: string): string {
  return `tenant#${tenant}`;
}

export function describeLease(lease: Lease, now: Date): string {
  const seconds = Math.max(0, Math.round((lease.expiresAt - now.getTime()) / 1000));
  const where = lease.holder.where ? ` on ${lease.holder.where}` : "";
  return `${lease.holder.runId} by ${lease.holder.actor}${where} since ${lease.acquiredAt} (expires in ${seconds} s unless renewed)`;
}
