import type { CapturedEmail } from "./types.js";

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: { Raw?: { Data?: string } };
}

/** Every raw SES v2 `SendEmail` that SES (moto) accepted, in the order accepted. */
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
    this.emails.push({
      messageId: answer?.MessageId ?? "",
      from: request.FromEmailAddress ?? "",
      destination: {
        to: request.Destination?.ToAddresses ?? [],
        cc: request.Destination?.CcAddresses ?? [],
        bcc: request.Destination?.BccAddresses ?? [],
      },
      raw: Buffer.from(data, "base64"),
      accountId,
      sentAt: new Date(),
    });
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
