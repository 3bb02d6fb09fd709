import type { ReactHandler } from "@wshub/functions";
import { motoJson } from "@wshub/sandbox";
import type { World } from "./harness.js";

/**
 * The react function's event source mapping, as a test drives it: receive up to 10 messages from the hub queue (moto
 * SQS), hand them to the handler as one SQS event, delete what it acknowledged. A failed message stays in the queue;
 * `redeliverAtOnce` makes it visible again at once (as the visibility timeout's end would, 30 s later).
 */
type SQSEvent = Parameters<ReactHandler>[0];
type SQSRecord = SQSEvent["Records"][number];
export const SIGNALS_REGION = "us-east-1";
/** As the stack's event source mapping: at most 10 records a batch. */
export const RECORDS_PER_BATCH = 10;

interface Received {
  Messages?: { MessageId: string; ReceiptHandle: string; Body: string }[];
}

export function sqs<T>(world: World, operation: string, body: object): Promise<T> {
  return motoJson<T>(world.sandbox.aws.motoEndpoint, {
    service: "sqs",
    operation,
    accountId: world.scenario.organization.hubAccountId,
    region: SIGNALS_REGION,
    body,
  });
}

export interface PollOptions {
  handler: ReactHandler;
  maxRounds?: number;
  queueUrl?: string;
  redeliverAtOnce?: boolean;
}

/** Drain the queue through the handler; returns the deliveries that failed (batch item failures or a thrown batch). */
export async function pollQueue(world: World, options: PollOptions): Promise<number> {
  const queueUrl = options.queueUrl ?? world.sandbox.info.signals.queueUrl;
  let failures = 0;
  for (let round = 0; round < (options.maxRounds ?? 50); round++) {
    const answer = await sqs<Received>(world, "ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return failures;
    const failed = await failedIds(world, options.handler, messages);
    failures += failed.size;
    for (const m of messages) {
      if (!failed.has(m.MessageId))
        await sqs(world, "DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle });
      else if (options.redeliverAtOnce)
        await sqs(world, "ChangeMessageVisibility", {
          QueueUrl: queueUrl,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        });
    }
  }
  return failures;
}

async function failedIds(
  world: World,
  handler: ReactHandler,
  messages: NonNullable<Received["Messages"]>,
): Promise<Set<string>> {
  const event: SQSEvent = { Records: messages.map((m) => record(world, m.MessageId, m.ReceiptHandle, m.Body)) };
  try {
    const result = await handler(event, lambdaContext());
    return new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  } catch {
    // Every record failed: the invocation fails and the whole batch returns to the queue.
    return new Set(messages.map((m) => m.MessageId));
  }
}

function record(world: World, messageId: string, receiptHandle: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "events",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: world.sandbox.info.signals.queueArn,
    awsRegion: SIGNALS_REGION,
  };
}

function lambdaContext(): Parameters<ReactHandler>[1] {
  return {
    functionName: "react",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:222222222222:function:react",
    memoryLimitInMB: "1024",
    awsRequestId: "test",
    logGroupName: "/aws/lambda/react",
    logStreamName: "test",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 300_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Messages waiting in a queue (the DLQ included). */
export async function queueDepth(world: World, queueUrl: string): Promise<number> {
  const answer = await sqs<{ Attributes?: Record<string, string> }>(world, "GetQueueAttributes", {
    QueueUrl: queueUrl,
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  return Number(answer.Attributes?.["ApproximateNumberOfMessages"] ?? "0");
}

/** Move every message of the DLQ back to the queue (what `aws sqs start-message-move-task` does). */
export async function redrive(world: World): Promise<number> {
  const { queueUrl, deadLetterQueueUrl } = world.sandbox.info.signals;
  let moved = 0;
  for (;;) {
    const answer = await sqs<Received>(world, "ReceiveMessage", {
      QueueUrl: deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
    });
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return moved;
    for (const m of messages) {
      await sqs(world, "SendMessage", { QueueUrl: queueUrl, MessageBody: m.Body });
      await sqs(world, "DeleteMessage", { QueueUrl: deadLetterQueueUrl, ReceiptHandle: m.ReceiptHandle });
      moved++;
    }
  }
}
