import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ERROR_CODES, WshubError, type NoticeTopic } from "@wshub/core";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

/** SNS subjects are at most 100 characters. */
const SNS_SUBJECT_MAX = 100;

/** The optional notice topic (hub account). */
export class SnsNoticeTopic implements NoticeTopic {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(subject: string, message: string): Promise<void> {
    try {
      await this.client.send(
        new PublishCommand({ TopicArn: this.topicArn, Subject: subject.slice(0, SNS_SUBJECT_MAX), Message: message }),
      );
    } catch (error) {
      throw new WshubError(
        ERROR_CODES.EMAIL_FAILED,
        `SNS refused the notice to ${this.topicArn}: ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
        { topicArn: this.topicArn, awsError: awsErrorName(error) },
        { cause: error },
      );
    }
  }
}

export interface QueuedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
}

/** SQS long polling at most 20 s; at most 10 messages a receive (the service's limits). */
export const QUEUE_WAIT_SECONDS = 20;
export const QUEUE_BATCH_SIZE = 10;

/** The hub queue, read as the Lambda's event source mapping reads it (for `wshub react --queue`). */
export class SignalQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async receive(waitSeconds = QUEUE_WAIT_SECONDS): Promise<QueuedMessage[]> {
    const answer = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: QUEUE_BATCH_SIZE,
        WaitTimeSeconds: waitSeconds,
      }),
    );
    return (answer.Messages ?? []).flatMap((m) =>
      m.MessageId && m.ReceiptHandle && m.Body !== undefined
        ? [{ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body }]
        : [],
    );
  }

  /** Acknowledge a handled message; a failed one is left to become visible again (and, at last, go to the DLQ). */
  async delete(message: QueuedMessage): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }));
  }
}
