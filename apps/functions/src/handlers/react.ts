import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { ReactDeps } from "@wshub/hub";
import { createReactDeps, reactToMessage, type ReactDepsOptions } from "@wshub/runtime";
import { hubContext, logger } from "../runtime.js";

export type ReactHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The hub queue's consumer: each record is one EventBridge event. Bad input is recorded as rejected and acknowledged;
 * a record whose reaction failed (an outage, throttling past the backoff) is reported as a batch item failure, so SQS
 * delivers it again and at last to the DLQ, while the batch's other records are acknowledged. When every record
 * failed, Powertools throws: the whole batch returns to the queue, as a failed invocation's does.
 * `options` are for tests (a short backoff); the deployed function is `handler`.
 */
export function reactHandler(options: ReactDepsOptions = {}): ReactHandler {
  const processor = new BatchProcessor(EventType.SQS);
  let deps: ReactDeps | undefined;
  return async (event, context) => {
    const ctx = await hubContext();
    deps ??= createReactDeps(ctx, options);
    const reactDeps = deps;
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const outcome = await reactToMessage(ctx, reactDeps, record.body, { plan: false });
        logger.info("signal handled", {
          messageId: record.messageId,
          runId: outcome.runId,
          status: outcome.status,
          findingId: outcome.signal?.findingId,
          reason: outcome.rejection?.reason,
          calls: outcome.calls,
        });
      },
      processor,
      { context },
    );
  };
}

export const handler: ReactHandler = reactHandler();
