import { sesV1Message, type SentMessage } from "./outbox-ses-v1.js";
import type { CapturedEmail } from "./types.js";

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: { Raw?: { Data?: string } };
}

/**
 * Every e-mail SES (moto) accepted, in the order accepted: SES v2 `SendEmail` with raw content, and SES v1
 * `SendRawEmail` and `SendEmail`.
 */
export class Outbox {
  private readonly emails: CapturedEmail[] = [];

  /**
   * Keep the message of an accepted `SendEmail` request. Requests with Simple or Template content carry no MIME
   * and are not kept.
   */
  accept(requestBody: Buffer, responseBody: Buffer, accountId: string): void {
    const request = parseJson(requestBody) as SendEmailRequest | undefined;
    const data = request?.Content?.Raw?.Data;
    if (request === undefined || typeof data !== "string") return;
    const answer = parseJson(responseBody) as { MessageId?: string } | undefined;
    this.keep(accountId, {
      messageId: answer?.MessageId ?? "",
      from: request.FromEmailAddress ?? "",
      destination: {
        to: request.Destination?.ToAddresses ?? [],
        cc: request.Destination?.CcAddresses ?? [],
        bcc: request.Destination?.BccAddresses ?? [],
      },
      raw: Buffer.from(data, "base64"),
    });
  }

  /** Keep the message of an accepted SES v1 `SendRawEmail` or `SendEmail` (query protocol, XML answer). */
  acceptV1(params: URLSearchParams, responseBody: Buffer, accountId: string): void {
    const message = sesV1Message(params, responseBody.toString("utf8"));
    if (message !== undefined) this.keep(accountId, message);
  }

  private keep(accountId: string, message: SentMessage): void {
    this.emails.push({ ...message, accountId, sentAt: new Date() });
  }

  list(): CapturedEmail[] {
    return [...this.emails];
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
