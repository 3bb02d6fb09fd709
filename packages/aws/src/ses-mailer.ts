import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { ERROR_CODES, WshubError, type Mailer, type OutgoingEmail } from "@wshub/core";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

/** Sends complete MIME messages through SES v2 (raw content: up to 40 MB, attachments included). */
export class SesMailer implements Mailer {
  constructor(private readonly client: SESv2Client) {}

  async send(message: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const answer = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: message.to },
          // A Buffer is a Uint8Array: handed over as it is, not copied (a report message can weigh tens of MB).
          Content: { Raw: { Data: message.raw } },
        }),
      );
      return { messageId: answer.MessageId ?? "" };
    } catch (error) {
      throw new WshubError(
        ERROR_CODES.EMAIL_FAILED,
        `SES refused "${message.subject}" to ${message.to.join(", ")}: ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
        {
          subject: message.subject,
          recipients: message.to,
          awsError: awsErrorName(error),
        },
        { cause: error },
      );
    }
  }
}
