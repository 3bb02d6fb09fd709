import {
  ERROR_CODES,
  mapWithConcurrency,
  wafCountsOf,
  type AccountWafResult,
  type AuditEvent,
  type ErrorSummary,
  type RunError,
  type WafAccess,
} from "@wshub/core";
import type { RecorderRun } from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { applyWaf } from "./waf-check.js";

/** Stored WAF results read at once. */
const WAF_RESULT_READ_CONCURRENCY = 8;

export interface StoredWafApply {
  /** Accounts whose stored results were read. */
  accounts: number;
  events: AuditEvent[];
  updates: number;
  errors: RunError[];
  stopped?: ErrorSummary;
}

/**
 * `waf.mode: apply` after evaluation, for the whole run at once (the CLI's run and the deployed Assign step): the rows
 * each account's check stored with the run, behind the guard rails (allowed accounts, at most `maxWebAclsPerRun`
 * WebACLs, never from a partial or stale inventory). A tenant that could not be read (its accounts failed, or their
 * instances look unprotected) stops the apply before any change: nothing is changed from a partial picture.
 */
export async function applyStoredWaf(ctx: HubContext & { waf: WafAccess }, run: RecorderRun): Promise<StoredWafApply> {
  const records = await ctx.runs.listAccountRuns(run.runId);
  const read = await mapWithConcurrency(records, WAF_RESULT_READ_CONCURRENCY, (r) =>
    ctx.runs.getWafResult(run.runId, r.accountId),
  );
  const results = read.flatMap((r) => r ?? []);
  const partial = [
    ...records.filter((r) => r.status === "failed" && r.tenant !== null).map((r) => r.accountId),
    ...results.filter((r) => r.recommendOnly).map((r) => r.accountId),
  ];
  if (partial.length > 0) {
    const message = `no WAF change: the picture of account(s) ${[...new Set(partial)].join(", ")} is incomplete this run`;
    ctx.logger.warn("WAF apply stopped", { accounts: partial.length });
    return {
      accounts: results.length,
      events: [],
      updates: 0,
      errors: [],
      stopped: { code: ERROR_CODES.GUARD_RAIL_EXCEEDED, message },
    };
  }
  const inventories = results.map((r) => ({ ...r, live: new Set(r.webAclsRead) }));
  const outcome = await applyWaf(ctx, run, { rows: results.flatMap((r) => r.rows), inventories });
  await recordCounts(ctx, run.runId, results, outcome.events);
  return { accounts: results.length, ...outcome };
}

/** Each account's roll-up counts, now with the groups its WebACLs gained. */
async function recordCounts(ctx: HubContext, runId: string, results: AccountWafResult[], events: AuditEvent[]) {
  for (const result of results) {
    const mine = events.filter((e) => e.accountId === result.accountId);
    if (mine.length === 0) continue;
    const record = await ctx.runs.getAccountRun(runId, result.accountId);
    if (record) await ctx.runs.putAccountRun({ ...record, waf: wafCountsOf(result.rows, mine) });
  }
}

/** The errors each account's WAF check stored with the run (the deployed FinishRun records them with the run). */
export async function storedWafErrors(ctx: HubContext, runId: string): Promise<RunError[]> {
  if (!ctx.waf || ctx.config.waf.mode === "off") return [];
  const records = await ctx.runs.listAccountRuns(runId);
  const read = await mapWithConcurrency(records, WAF_RESULT_READ_CONCURRENCY, (r) =>
    ctx.runs.getWafResult(runId, r.accountId),
  );
  return read.flatMap((result) => result?.errors ?? []);
}
