import {
  countCoverage,
  digest,
  ERROR_CODES,
  isoWeekLabel,
  recipientsFor,
  summarizeError,
  WshubError,
  type AccountCoverage,
  type AccountRunRecord,
  type AccountSections,
  type AuditEvent,
  type OrgAccount,
  type RunRecord,
} from "@wshub/core";
import type { ReportContext, ReportMeta } from "./context.js";
import { accountReportInsights, organizationInsights } from "./insights.js";
import { deliver, type EmailOutcome } from "./report-delivery.js";
import { storedSections } from "./run-sections.js";

export type { EmailOutcome } from "./report-delivery.js";

export async function reportMeta(ctx: ReportContext, runId: string): Promise<ReportMeta> {
  const run = await ctx.runs.getRun(runId);
  const started = run ? new Date(run.startedAt) : ctx.clock.now();
  return {
    runId,
    week: isoWeekLabel(started),
    generatedAt: ctx.clock.now().toISOString(),
    startedAt: started.toISOString(),
  };
}

/**
 * Build one account's workbook and CSV (plus its assignment report when a run changed something) and mail them to
 * the account's recipients. Too big for SES: the files go to S3 and the message carries presigned links.
 */
export async function reportAccount(
  ctx: ReportContext,
  runId: string,
  account: OrgAccount,
  options: {
    coverage?: AccountCoverage;
    assignmentEvents?: AuditEvent[];
    meta?: ReportMeta;
    force?: boolean;
    /** The WAF check's rows and the Config rules' results for the account (sheets and CSVs of their own). */
    sections?: AccountSections;
  } = {},
): Promise<EmailOutcome> {
  const meta = options.meta ?? (await reportMeta(ctx, runId));
  const events = options.assignmentEvents ?? [];
  const recipients = recipientsFor(account, {
    accounts: ctx.config.reports.recipients.accounts,
    tagKey: ctx.config.reports.recipients.tagKey,
  });
  const stamp = await ctx.runs.latestCoverage(account.id);
  const outcome =
    (options.force || ctx.config.reports.resendUnchanged || events.length > 0
      ? undefined
      : await alreadySent(ctx, runId, account.id, meta.week, stamp?.content, recipients.addresses)) ??
    (await renderAndSend(ctx, runId, account, recipients, meta, events, options.coverage, options.sections));
  // Remember what went out (or that there was nobody to send it to), so an unchanged re-run this week sends nothing.
  const delivered =
    outcome.status === "sent" ||
    outcome.status === "link" ||
    (outcome.status === "skipped" && recipients.addresses.length === 0);
  if (delivered && stamp)
    await ctx.runs.setLastReport(account.id, {
      runId,
      week: meta.week,
      content: stamp.content,
      recipients: recipients.addresses,
      sentAt: ctx.clock.now().toISOString(),
    });
  ctx.logger.debug("account reported", {
    accountId: account.id,
    email: outcome.status,
    recipients: outcome.recipients.length,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
  });
  const record = await ctx.runs.getAccountRun(runId, account.id);
  if (record) await ctx.runs.putAccountRun({ ...record, email: outcome });
  return outcome;
}

/** A report that could not be produced at all is recorded as a failed e-mail with the reason (the run ends partial). */
export async function recordReportFailure(
  ctx: ReportContext,
  runId: string,
  accountId: string,
  error: unknown,
): Promise<void> {
  const summary = summarizeError(error);
  ctx.logger.warn("report not produced", { accountId, code: summary.code, reason: summary.message });
  const record = await ctx.runs.getAccountRun(runId, accountId);
  if (record)
    await ctx.runs.putAccountRun({
      ...record,
      email: { status: "failed", recipients: [], reason: `${summary.code}: ${summary.message}` },
    });
}

/**
 * A re-run in the same ISO week that finds nothing changed for an account (same coverage inputs, same recipients)
 * does not mail its owners the same report again; `wshub report --run` (force) or `reports.resendUnchanged` does.
 */
async function alreadySent(
  ctx: ReportContext,
  runId: string,
  accountId: string,
  week: string,
  content: string | undefined,
  recipients: string[],
): Promise<EmailOutcome | undefined> {
  const last = await ctx.runs.lastReport(accountId);
  if (!last || !content || last.runId === runId || last.week !== week || last.content !== content) return undefined;
  if ([...last.recipients].sort().join(",") !== [...recipients].sort().join(",")) return undefined;
  return {
    status: "unchanged",
    recipients,
    reason: `nothing changed since run ${last.runId}, whose report went out this week`,
  };
}

async function renderAndSend(
  ctx: ReportContext,
  runId: string,
  account: OrgAccount,
  recipients: ReturnType<typeof recipientsFor>,
  meta: ReportMeta,
  events: AuditEvent[],
  given: AccountCoverage | undefined,
  sections?: AccountSections,
): Promise<EmailOutcome> {
  const coverage = given ?? (await ctx.runs.getCoverage(runId, account.id));
  if (!coverage)
    throw new WshubError(ERROR_CODES.NO_COVERAGE, `run ${runId} has no coverage for account ${account.id}`, {
      runId,
      accountId: account.id,
    });
  const counts = countCoverage(coverage.rows);
  const insights = await accountReportInsights(ctx, { runId, startedAt: meta.startedAt ?? meta.generatedAt }, coverage);
  // Not given (a rebuild, the deployed ReportAccount): the WAF rows and Config results stored with the run.
  const shown = sections ?? (await storedSections(ctx, runId, account.id));
  const files = await ctx.renderer.accountFiles(coverage, counts, meta, insights, shown);
  if (events.length > 0) files.push(...(await ctx.renderer.assignmentFiles(events, account.id, meta)));
  if (recipients.addresses.length === 0) {
    const rejected =
      recipients.rejected.length > 0 ? ` (tag values that are not addresses: ${recipients.rejected.join(", ")})` : "";
    return { status: "skipped", recipients: [], reason: `no recipients${rejected}` };
  }
  return deliver(ctx, { label: `account-${account.id}`, to: recipients.addresses, files, meta }, (attachments, links) =>
    ctx.renderer.accountEmail({
      from: ctx.config.reports.sender,
      to: recipients.addresses,
      coverage,
      counts,
      meta,
      insights,
      attachments,
      links,
    }),
  );
}

/** The roll-up's own "account" in the last-report stamps. */
const ORGANIZATION = "ORGANIZATION";

/**
 * The organization roll-up to the central recipients. Like an account's report, a re-run in the same ISO week whose
 * roll-up would say the same (same accounts, statuses, counts and errors, no assignment) is not mailed again, unless
 * forced (`wshub report --run`) or `reports.resendUnchanged`.
 */
export async function reportOrganization(
  ctx: ReportContext,
  runId: string,
  assignmentEvents: AuditEvent[] = [],
  options: { force?: boolean } = {},
): Promise<EmailOutcome> {
  const run = await ctx.runs.getRun(runId);
  if (!run) throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} does not exist`, { runId });
  const accounts = await ctx.runs.listAccountRuns(runId);
  const meta = await reportMeta(ctx, runId);
  const to = ctx.config.reports.centralRecipients;
  const content = rollupContent(run, accounts);
  const unchanged =
    options.force || ctx.config.reports.resendUnchanged || assignmentEvents.length > 0
      ? undefined
      : await alreadySent(ctx, runId, ORGANIZATION, meta.week, content, to);
  if (unchanged) return unchanged;
  const insights = await organizationInsights(ctx, run, accounts);
  const files = await ctx.renderer.rollupFiles(run, accounts, meta, insights);
  if (assignmentEvents.length > 0)
    files.push(...(await ctx.renderer.assignmentFiles(assignmentEvents, "organization", meta)));
  if (to.length === 0) return { status: "skipped", recipients: [], reason: "no central recipients configured" };
  const outcome = await deliver(ctx, { label: "organization", to, files, meta }, (attachments, links) =>
    ctx.renderer.rollupEmail({
      from: ctx.config.reports.sender,
      to,
      run,
      accounts,
      meta,
      insights,
      attachments,
      links,
    }),
  );
  if (outcome.status === "sent" || outcome.status === "link")
    await ctx.runs.setLastReport(ORGANIZATION, {
      runId,
      week: meta.week,
      content,
      recipients: to,
      sentAt: ctx.clock.now().toISOString(),
    });
  return outcome;
}

/** What the roll-up says, without what changes every run (ids, times, e-mail outcomes). */
function rollupContent(run: RunRecord, accounts: AccountRunRecord[]): string {
  const lines = [...accounts]
    .sort((a, b) => a.accountId.localeCompare(b.accountId))
    .map((a) =>
      [a.accountId, a.accountName, a.ouPath, a.status, a.tenant, a.error?.code, JSON.stringify(a.counts)].join("\t"),
    );
  const errors = run.errors.filter((e) => e.scope !== "email").map((e) => [e.scope, e.subject, e.code].join("\t"));
  return digest([run.status, ...lines, "errors", ...errors].join("\n"));
}
