import {
  archiveKey,
  mapWithConcurrency,
  nextExportLedger,
  planSecurityHubExport,
  summarizeError,
  type AccountCoverage,
  type RunError,
} from "@wshub/core";
import type { HubContext, ReportMeta } from "./context.js";
import { reportMeta } from "./report.js";

/** Accounts exported at a time (each is one coverage read and a few calls). */
const EXPORT_CONCURRENCY = 4;
const SECURITY_HUB = "securityhub";

export interface ExportOutcome {
  errors: RunError[];
  /** Findings imported into Security Hub, by why (created, updated, refreshed, resolved, reopened). */
  securityHub: Record<string, number>;
  securityHubCalls: number;
  archivedObjects: number;
}

/**
 * The run's hand-offs (docs/insights.md), after its reports: Security Hub findings and the archive bucket, account by
 * account from the stored coverage. One account's failure is recorded and the others go on.
 */
export async function exportRun(ctx: HubContext, runId: string): Promise<ExportOutcome> {
  const outcome: ExportOutcome = { errors: [], securityHub: {}, securityHubCalls: 0, archivedObjects: 0 };
  if (!ctx.securityHub && !ctx.archive) return outcome;
  const meta = await reportMeta(ctx, runId);
  const accountIds = await ctx.runs.listCoverageAccounts(runId);
  await mapWithConcurrency(accountIds, EXPORT_CONCURRENCY, async (accountId) => {
    try {
      const coverage = await ctx.runs.getCoverage(runId, accountId);
      if (!coverage) return;
      if (ctx.securityHub) await toSecurityHub(ctx, coverage, outcome);
      if (ctx.archive) await toArchive(ctx, coverage, meta, outcome);
    } catch (error) {
      const summary = summarizeError(error);
      ctx.logger.warn("export failed", { accountId, code: summary.code, reason: summary.message });
      outcome.errors.push({ scope: "export", subject: accountId, ...summary });
    }
  });
  return outcome;
}

async function toSecurityHub(ctx: HubContext, coverage: AccountCoverage, outcome: ExportOutcome): Promise<void> {
  const publisher = ctx.securityHub;
  if (!publisher) return;
  const settings = ctx.config.insights.securityHub;
  const now = ctx.clock.now().toISOString();
  const ledger = await ctx.runs.getExportLedger(coverage.accountId, SECURITY_HUB);
  const changes = planSecurityHubExport(coverage.rows, ledger, now, settings?.refreshDays ?? 30);
  if (changes.length === 0) return;
  const answer = await publisher.publish(changes);
  outcome.securityHubCalls += answer.calls;
  const refused = new Set(answer.failed.map((f) => f.key));
  const imported = changes.filter((change) => !refused.has(change.key));
  for (const change of imported) outcome.securityHub[change.reason] = (outcome.securityHub[change.reason] ?? 0) + 1;
  await ctx.runs.putExportLedger(coverage.accountId, SECURITY_HUB, nextExportLedger(ledger, imported, now));
  if (answer.failed.length > 0)
    outcome.errors.push({
      scope: "export",
      subject: coverage.accountId,
      code: "EXPORT_FAILED",
      message: `Security Hub refused ${answer.failed.length} finding(s), e.g. ${answer.failed[0]?.key}: ${answer.failed[0]?.message}`,
    });
}

async function toArchive(
  ctx: HubContext,
  coverage: AccountCoverage,
  meta: ReportMeta,
  outcome: ExportOutcome,
): Promise<void> {
  const archive = ctx.archive;
  const settings = ctx.config.archive;
  if (!archive || !settings) return;
  const files = await ctx.renderer.archiveFiles(coverage, meta);
  const where = {
    prefix: settings.prefix,
    startedAt: meta.startedAt ?? meta.generatedAt,
    runId: meta.runId,
    accountId: coverage.accountId,
  };
  await archive.put(archiveKey({ ...where, format: "csv" }), files.csv, "text/csv; charset=utf-8");
  await archive.put(archiveKey({ ...where, format: "ocsf" }), files.jsonl, "application/x-ndjson");
  outcome.archivedObjects += 2;
}
