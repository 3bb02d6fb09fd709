import {
  countCoverage,
  ERROR_CODES,
  isoWeekLabel,
  recipientsFor,
  summarizeError,
  WshubError,
  type AccountCoverage,
  type AccountRunRecord,
  type AuditEvent,
  type OrgAccount,
  type RunRecord,
} from "@wshub/core";
import type { AttachmentLink, HubContext, RenderedFile, ReportMeta } from "./context.js";

export type EmailOutcome = NonNullable<AccountRunRecord["email"]>;

export async function reportMeta(ctx: HubContext, runId: string): Promise<ReportMeta> {
  const run = await ctx.runs.getRun(runId);
  const started = run ? new Date(run.startedAt) : ctx.clock.now();
  return { runId, week: isoWeekLabel(started), generatedAt: ctx.clock.now().toISOString() };
}

/**
 * Build one account's workbook and CSV (plus its assignment report when a run changed something) and mail them to
 * the account's recipients. Too big for SES: the files go to S3 and the message carries presigned links.
 */
export async function reportAccount(
  ctx: HubContext,
  runId: string,
  account: OrgAccount,
  options: { coverage?: AccountCoverage; assignmentEvents?: AuditEvent[]; meta?: ReportMeta } = {},
): Promise<EmailOutcome> {
  const meta = options.meta ?? (await reportMeta(ctx, runId));
  const coverage = options.coverage ?? (await ctx.runs.getCoverage(runId, account.id));
  if (!coverage)
    throw new WshubError(ERROR_CODES.NO_COVERAGE, `run ${runId} has no coverage for account ${account.id}`, {
      runId,
      accountId: account.id,
    });
  const counts = countCoverage(coverage.rows);
  const files = await ctx.renderer.accountFiles(coverage, counts, meta);
  const events = options.assignmentEvents ?? [];
  if (events.length > 0) files.push(...(await ctx.renderer.assignmentFiles(events, account.id, meta)));

  const recipients = recipientsFor(account, {
    accounts: ctx.config.reports.recipients.accounts,
    tagKey: ctx.config.reports.recipients.tagKey,
  });
  let outcome: EmailOutcome;
  if (recipients.addresses.length === 0) {
    const rejected =
      recipients.rejected.length > 0 ? ` (tag values that are not addresses: ${recipients.rejected.join(", ")})` : "";
    outcome = { status: "skipped", recipients: [], reason: `no recipients${rejected}` };
  } else {
    outcome = await deliver(ctx, `account-${account.id}`, recipients.addresses, files, meta, (attachments, links) =>
      ctx.renderer.accountEmail({
        from: ctx.config.reports.sender,
        to: recipients.addresses,
        coverage,
        counts,
        meta,
        attachments,
        links,
      }),
    );
  }
  const record = await ctx.runs.getAccountRun(runId, account.id);
  if (record) await ctx.runs.putAccountRun({ ...record, email: outcome });
  return outcome;
}

/** The organization roll-up to the central recipients. */
export async function reportOrganization(
  ctx: HubContext,
  runId: string,
  assignmentEvents: AuditEvent[] = [],
): Promise<EmailOutcome> {
  const run = await ctx.runs.getRun(runId);
  if (!run) throw new WshubError(ERROR_CODES.RUN_NOT_FOUND, `run ${runId} does not exist`, { runId });
  const accounts = await ctx.runs.listAccountRuns(runId);
  const meta = await reportMeta(ctx, runId);
  const files = await ctx.renderer.rollupFiles(run, accounts, meta);
  if (assignmentEvents.length > 0)
    files.push(...(await ctx.renderer.assignmentFiles(assignmentEvents, "organization", meta)));
  const to = ctx.config.reports.centralRecipients;
  if (to.length === 0) return { status: "skipped", recipients: [], reason: "no central recipients configured" };
  return deliver(ctx, "organization", to, files, meta, (attachments, links) =>
    ctx.renderer.rollupEmail({
      from: ctx.config.reports.sender,
      to,
      run: run as RunRecord,
      accounts,
      meta,
      attachments,
      links,
    }),
  );
}

type Compose = (attachments: RenderedFile[], links: AttachmentLink[]) => Promise<{ subject: string; raw: Buffer }>;

async function deliver(
  ctx: HubContext,
  label: string,
  to: string[],
  files: RenderedFile[],
  meta: ReportMeta,
  compose: Compose,
): Promise<EmailOutcome> {
  try {
    let message = await compose(files, []);
    let status: EmailOutcome["status"] = "sent";
    if (message.raw.length > ctx.config.reports.maxMessageBytes) {
      message = await compose([], await publishLinks(ctx, label, files, meta));
      status = "link";
    }
    await ctx.emailCopy?.(`${label}.eml`, message.raw);
    if (!ctx.config.reports.sendEmail || !ctx.mailer)
      return { status: "skipped", recipients: to, reason: "sending is disabled" };
    const { messageId } = await ctx.mailer.send({
      from: ctx.config.reports.sender,
      to,
      subject: message.subject,
      raw: message.raw,
    });
    return { status, recipients: to, messageId };
  } catch (error) {
    const summary = summarizeError(error);
    ctx.logger.warn("report not sent", { label, code: summary.code, reason: summary.message });
    return { status: "failed", recipients: to, reason: summary.message };
  }
}

async function publishLinks(
  ctx: HubContext,
  label: string,
  files: RenderedFile[],
  meta: ReportMeta,
): Promise<AttachmentLink[]> {
  if (!ctx.links)
    throw new WshubError(
      ERROR_CODES.EMAIL_FAILED,
      `the ${label} report exceeds ${ctx.config.reports.maxMessageBytes} bytes and no reports.linkBucket is configured`,
      {
        label,
      },
    );
  const expiresIn = ctx.config.reports.linkExpiryHours * 3600;
  const expiresAt = new Date(ctx.clock.now().getTime() + expiresIn * 1000).toISOString();
  const links: AttachmentLink[] = [];
  for (const file of files) {
    const url = await ctx.links.publish(
      `reports/${meta.runId}/${label}/${file.filename}`,
      file.content,
      file.contentType,
      expiresIn,
    );
    links.push({ filename: file.filename, url, expiresAt });
  }
  return links;
}
