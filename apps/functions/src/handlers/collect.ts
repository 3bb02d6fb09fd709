import { collectAccounts, plannedAccountsOf, whileRunHeld } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

/** The distributed Map's item batch: account ids, with the run id as batch input. */
export interface CollectEvent {
  Items: string[];
  BatchInput: { runId: string };
}

export interface CollectResult {
  runId: string;
  collected: number;
  failed: { accountId: string; code: string }[];
  findingsRead: number;
}

/** Collect a batch of accounts' findings (one account's failure is recorded, never thrown). */
export async function handler(event: CollectEvent): Promise<CollectResult> {
  const ctx = await hubContext();
  const { runId } = event.BatchInput;
  const wanted = new Set(event.Items);
  const accounts = (await plannedAccountsOf(ctx, runId)).filter(
    (p) => wanted.has(p.account.id) && p.skip === undefined,
  );
  const results = await whileRunHeld(ctx, runId, () => collectAccounts(ctx, runId, accounts));
  const failed = results
    .filter((r) => !r.ok)
    .map((r) => ({ accountId: r.accountId, code: r.error?.code ?? "INTERNAL" }));
  logger.info("accounts collected", { runId, accounts: results.length, failed: failed.length });
  return {
    runId,
    collected: results.length - failed.length,
    failed,
    findingsRead: results.reduce((s, r) => s + r.findingsRead, 0),
  };
}
