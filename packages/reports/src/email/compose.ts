import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { ERROR_CODES, WshubError } from "@wshub/core";

export type Mailbox = string | { name: string; address: string };

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
export const HTML_CONTENT_TYPE = "text/html; charset=utf-8";

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A report file published elsewhere (S3, presigned) because the message would be too big with it attached. */
export interface ReportLink {
  filename: string;
  url: string;
  /** ISO 8601: when the URL stops working. */
  expiresAt: string;
}

export interface ComposedEmail {
  subject: string;
  /** The complete MIME message, ready for SES `SendEmail` with `Content.Raw`. */
  raw: Buffer;
}

export interface MessageParts {
  from: Mailbox;
  to: readonly Mailbox[];
  subject: string;
  text: string;
  html: string;
  attachments?: readonly MailAttachment[];
}

/** Build the MIME message. Sends nothing. */
export async function composeMessage(parts: MessageParts): Promise<ComposedEmail> {
  if (parts.to.length === 0) {
    throw new WshubError(ERROR_CODES.EMAIL_FAILED, `message "${parts.subject}" has no recipients`, {
      subject: parts.subject,
    });
  }
  const subject = singleLine(parts.subject);
  const composer = new MailComposer({
    from: parts.from,
    to: [...parts.to],
    subject,
    text: parts.text,
    html: parts.html,
    // Attachments are always base64: a text part (the CSV) would otherwise be re-encoded with canonical line
    // ends and would no longer be byte-identical to the file.
    attachments: (parts.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
      contentTransferEncoding: "base64",
    })),
    // Everything is in memory already: never let a value make the composer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    return { subject, raw: await composer.compile().build() };
  } catch (error) {
    throw new WshubError(
      ERROR_CODES.EMAIL_FAILED,
      `composing message "${subject}" failed`,
      { subject },
      { cause: error },
    );
  }
}

/** Names from tags may carry line breaks; a header must not. */
export function singleLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/** Links go into href attributes: only http(s), so a bad value can never become a `javascript:` link. */
export function checkLinks(links: readonly ReportLink[]): void {
  for (const link of links) {
    let protocol = "";
    try {
      protocol = new URL(link.url).protocol;
    } catch {
      protocol = "";
    }
    if (protocol !== "https:" && protocol !== "http:") {
      throw new WshubError(ERROR_CODES.EMAIL_FAILED, `the link for ${link.filename} is not an http(s) URL`, {
        filename: link.filename,
      });
    }
  }
}
