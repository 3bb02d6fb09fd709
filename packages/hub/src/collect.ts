import {
  ERROR_CODES,
  findingFingerprint,
  mapWithConcurrency,
  ouPathLabel,
  summarizeError,
  type AccountRunRecord,
  type CoveredInstance,
  type ErrorSummary,
  type Finding,
} from "@wshub/core";
import type { HubContext } from "./context.js";
import type { PlannedAccount } from "./plan-accounts.js";

export interface CollectionResult {
  accountId: string;
  ok: boolean;
  error?: ErrorSummary;
  findingsRead: number;
  findingsWritten: number;
  inspectorCalls: number;
  instances: number;
}

/** Findings are written in batches of this many (the store splits them into BatchWriteItem calls of 25). */
const WRITE_BUFFER = 500;

/**
 * Collect Inspector findings for the given (assessable) accounts into the store: member-role mode reads each account
 * through its own role; delegated-admin mode reads up to 10 accounts a call. Incremental: only findings updated since
 * the account's last successful collection (minus an overlap) are asked for, and unchanged ones are not rewritten.
 * One unreachable account never stops the others: it is recorded with its reason.
 */
export async function collectAccounts(
  ctx: HubContext,
  runId: string,
  accounts: PlannedAccount[],
): Promise<CollectionResult[]> {
  const startedAt = ctx.clock.now();
  const groups = await groupForQueries(ctx, accounts);
  const results = await mapWithConcurrency(groups, ctx.config.collection.concurrency, (group) =>
    collectGroup(ctx, runId, group, startedAt),
  );
  const flat = results.flat();
  await Promise.all(
    flat.map((result) => {
      const planned = accounts.find((p) => p.account.id === result.accountId) as PlannedAccount;
      return ctx.runs.putAccountRun(accountRecord(runId, planned, result, startedAt));
    }),
  );
  return flat;
}

interface QueryGroup {
  accounts: PlannedAccount[];
  /** Per region: read findings updated at or after this instant (undefined: everything). */
  since: Map<string, Date | undefined>;
}

/** Member roles read one account each; the administrator batches accounts with similar watermarks, up to 10. */
async function groupForQueries(ctx: HubContext, accounts: PlannedAccount[]): Promise<QueryGroup[]> {
  const overlapMs = ctx.config.collection.overlapMinutes * 60_000;
  const regions = ctx.config.hub.regions;
  const withMarks = await mapWithConcurrency(accounts, 16, async (planned) => {
    const marks = new Map<string, Date | undefined>();
    for (const region of regions) {
      const mark = await ctx.runs.getWatermark(planned.account.id, region);
      marks.set(region, mark ? new Date(Date.parse(mark.collectedFrom) - overlapMs) : undefined);
    }
    return { planned, marks };
  });
  const size = ctx.inspector.maxAccountsPerQuery;
  // New accounts (no watermark) first, then by watermark, so a batch rarely mixes a full read with an incremental one.
  withMarks.sort((a, b) => earliest(a.marks) - earliest(b.marks));
  const groups: QueryGroup[] = [];
  for (let i = 0; i < withMarks.length; i += size) {
    const slice = withMarks.slice(i, i + size);
    const since = new Map<string, Date | undefined>();
    for (const region of regions) {
      const dates = slice.map((item) => item.marks.get(region));
      since.set(
        region,
        dates.some((d) => d === undefined) ? undefined : new Date(Math.min(...dates.map((d) => (d as Date).getTime()))),
      );
    }
    groups.push({ accounts: slice.map((item) => item.planned), since });
  }
  return groups;
}

function earliest(marks: Map<string, Date | undefined>): number {
  let min = Infinity;
  for (const date of marks.values()) min = Math.min(min, date === undefined ? -Infinity : date.getTime());
  return min;
}

async function collectGroup(
  ctx: HubContext,
  runId: string,
  group: QueryGroup,
  startedAt: Date,
): Promise<CollectionResult[]> {
  const ids = group.accounts.map((p) => p.account.id);
  const tally = new Map(ids.map((id) => [id, { read: 0, written: 0, instances: [] as CoveredInstance[] }]));
  let calls = 0;
  try {
    for (const region of ctx.config.hub.regions) {
      const reader = await ctx.inspector.readerFor(ids, region);
      const since = group.since.get(region);
      await readFindings(
        ctx,
        reader.listFindings({ accountIds: ids, region, ...(since ? { updatedSince: since } : {}) }),
        since !== undefined,
        tally,
      );
      for await (const page of reader.listEc2Instances({ accountIds: ids, region })) {
        for (const instance of page) tally.get(instance.accountId)?.instances.push(instance);
      }
      calls += reader.calls;
    }
    await Promise.all(
      ids.flatMap((id) => [
        ctx.runs.putInstances(runId, id, tally.get(id)?.instances ?? []),
        ...ctx.config.hub.regions.map((region) =>
          ctx.runs.setWatermark({ accountId: id, region, collectedFrom: startedAt.toISOString(), runId }),
        ),
      ]),
    );
  } catch (error) {
    const summary = summarizeError(error);
    ctx.logger.warn("account not collected", { accounts: ids, code: summary.code, reason: summary.message });
    for (const id of ids) ctx.progress.accountCollected(id, 0, false);
    return ids.map((id) => ({
      accountId: id,
      ok: false,
      error: summary,
      findingsRead: tally.get(id)?.read ?? 0,
      findingsWritten: tally.get(id)?.written ?? 0,
      inspectorCalls: Math.round(calls / ids.length),
      instances: 0,
    }));
  }
  return ids.map((id) => {
    const t = tally.get(id) as { read: number; written: number; instances: CoveredInstance[] };
    ctx.logger.debug("account collected", {
      accountId: id,
      inspectorCalls: Math.round(calls / ids.length),
      incremental: [...group.since.values()].every((since) => since !== undefined),
      findingsRead: t.read,
      findingsWritten: t.written,
      instances: t.instances.length,
    });
    ctx.progress.accountCollected(id, t.read, true);
    return {
      accountId: id,
      ok: true,
      findingsRead: t.read,
      findingsWritten: t.written,
      inspectorCalls: Math.round(calls / ids.length),
      instances: t.instances.length,
    };
  });
}

async function readFindings(
  ctx: HubContext,
  pages: AsyncIterable<Finding[]>,
  incremental: boolean,
  tally: Map<string, { read: number; written: number }>,
): Promise<void> {
  let buffer: Finding[] = [];
  const flush = async () => {
    const batch = buffer;
    buffer = [];
    const changed = incremental ? await onlyChanged(ctx, batch) : batch;
    if (changed.length > 0) await ctx.findings.put(changed);
    for (const finding of changed) {
      const t = tally.get(finding.accountId);
      if (t) t.written++;
    }
  };
  for await (const page of pages) {
    for (const finding of page) {
      const t = tally.get(finding.accountId);
      if (!t) continue; // a finding of an account we did not ask for: never store it under the wrong owner
      t.read++;
      buffer.push(finding);
    }
    if (buffer.length >= WRITE_BUFFER) await flush();
  }
  if (buffer.length > 0) await flush();
}

/** Compare with the stored fingerprints so an unchanged finding is not written again. */
async function onlyChanged(ctx: HubContext, findings: Finding[]): Promise<Finding[]> {
  const byAccount = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byAccount.get(finding.accountId);
    if (list) list.push(finding);
    else byAccount.set(finding.accountId, [finding]);
  }
  const changed: Finding[] = [];
  for (const [accountId, list] of byAccount) {
    const stored = await ctx.findings.fingerprints(
      accountId,
      list.map((f) => f.findingArn),
    );
    for (const finding of list)
      if (stored.get(finding.findingArn) !== findingFingerprint(finding)) changed.push(finding);
  }
  return changed;
}

function accountRecord(
  runId: string,
  planned: PlannedAccount,
  result: CollectionResult,
  startedAt: Date,
): AccountRunRecord {
  const record: AccountRunRecord = {
    runId,
    accountId: planned.account.id,
    accountName: planned.account.name,
    ouPath: ouPathLabel(planned.account),
    status: result.ok ? "collected" : result.error?.code === ERROR_CODES.ACCOUNT_UNREACHABLE ? "unreachable" : "failed",
    tenant: planned.tenant.tenant,
    tenantSource: planned.tenant.source,
    tenantReason: planned.tenant.reason,
    findingsRead: result.findingsRead,
    findingsWritten: result.findingsWritten,
    inspectorCalls: result.inspectorCalls,
  };
  if (result.ok) record.collectedAt = startedAt.toISOString();
  if (result.error) record.error = result.error;
  return record;
}

/** Accounts that are not assessed still get a record, so the roll-up lists every account of the organization. */
export function skippedAccountRecord(runId: string, planned: PlannedAccount): AccountRunRecord {
  return {
    runId,
    accountId: planned.account.id,
    accountName: planned.account.name,
    ouPath: ouPathLabel(planned.account),
    status: planned.skip === "suspended" ? "suspended" : "excluded",
    tenant: planned.tenant.tenant,
    tenantSource: planned.tenant.source,
    tenantReason: planned.tenant.reason,
    findingsRead: 0,
    findingsWritten: 0,
    inspectorCalls: 0,
  };
}
