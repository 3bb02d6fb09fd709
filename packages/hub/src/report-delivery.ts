import { base64Length, ERROR_CODES, summarizeError, WshubError, type AccountRunRecord } from "@wshub/core";
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

type DeliveryContext = Pick<ReportContext, "config" | "mailer" | "links" | "emailCopy" | "logger" | "clock">;

/** Compose, copy (.eml) and send one report message; a failure is the outcome, never thrown. */
export async function deliver(
  ctx: DeliveryContext,
  { label, to, files, meta }: Delivery,
  compose: Compose,
): Promise<EmailOutcome> {
  try {
    const max = ctx.config.reports.maxMessageBytes;
    // The attachments' base64 alone already over the limit: links, without composing a message that cannot go.
    const surelyTooBig = files.reduce((sum, file) => sum + base64Length(file.content.length), 0) > max;
    let message = surelyTooBig ? undefined : await compose(files, []);
    let status: EmailOutcome["status"] = "sent";
    if (!message || message.raw.length > max) {
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
  ctx: DeliveryContext,
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
