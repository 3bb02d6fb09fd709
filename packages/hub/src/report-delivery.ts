import { ERROR_CODES, summarizeError, WshubError, type AccountRunRecord } from "@wshub/core";
import type { AttachmentLink, RenderedFile, ReportContext, ReportMeta } from "./context.js";

export type EmailOutcome = NonNullable<AccountRunRecord["email"]>;

type Compose = (attachments: RenderedFile[], links: AttachmentLink[]) => Promise<{ subject: string; raw: Buffer }>;

/** One message: its attachments, or presigned links when it would exceed `reports.maxMessageBytes`. */
export interface Delivery {
  label: string;
  to: string[];
  files: RenderedFile[];
  meta: ReportMeta;
}

/** Compose, copy (.eml) and send one report message; a failure is the outcome, never thrown. */
export async function deliver(
  ctx: ReportContext,
  { label, to, files, meta }: Delivery,
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
  ctx: ReportContext,
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
