import { WshubError } from "@wshub/core";
import type { HubContext } from "@wshub/hub";
import { createReactDeps, reactToMessage } from "@wshub/runtime";
import { motoJson } from "@wshub/sandbox";
import type { Handled } from "./signals-report.js";

/** As the stack's event source mapping: at most 10 records a batch. */
const RECORDS_PER_BATCH = 10;
/** Empty receives in a row, after the last put, before a consumer stops. */
const IDLE_RECEIVES = 3;

export interface QueueRef {
  motoEndpoint: string;
  hubAccountId: string;
  region: string;
  queueUrl: string;
}

export const sqs = <T>(queue: QueueRef, operation: string, body: object) =>
  motoJson<T>(queue.motoEndpoint, {
    service: "sqs",
    operation,
    accountId: queue.hubAccountId,
    region: queue.region,
    body: { QueueUrl: queue.queueUrl, ...body },
  });

interface Message {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
}

type Context = HubContext & Parameters<typeof createReactDeps>[0];
type Deps = ReturnType<typeof createReactDeps>;

/**
 * One Lambda container: its own adapters (tenant APIs and their call share), batches of 10 whose records run in
 * parallel (Powertools' default); a failed record is made visible again at once (its visibility timeout, shortened).
 */
export async function consume(ctx: Context, queue: QueueRef, state: { putting: boolean }): Promise<Handled[]> {
  const deps = createReactDeps(ctx);
  const handled: Handled[] = [];
  for (let idle = 0; state.putting || idle < IDLE_RECEIVES;) {
    const answer = await sqs<{ Messages?: Message[] }>(queue, "ReceiveMessage", {
      MaxNumberOfMessages: RECORDS_PER_BATCH,
    });
    const messages = answer.Messages ?? [];
    idle = messages.length === 0 ? idle + 1 : 0;
    handled.push(...(await Promise.all(messages.map((m) => handle(ctx, deps, queue, m)))));
  }
  return handled;
}

async function handle(ctx: Context, deps: Deps, queue: QueueRef, message: Message): Promise<Handled> {
  const eventId = eventIdOf(message.Body);
  const startedAt = Date.now();
  try {
    const outcome = await reactToMessage(ctx, deps, message.Body, { plan: false });
    await sqs(queue, "DeleteMessage", { ReceiptHandle: message.ReceiptHandle });
    const instanceIds = outcome.signal?.instanceIds ?? [];
    return { eventId, status: outcome.status, startedAt, doneAt: Date.now(), instanceIds };
  } catch (error) {
    const reason = error instanceof WshubError ? error.code : String(error);
    await sqs(queue, "ChangeMessageVisibility", { ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 });
    return { eventId, status: "failed", startedAt, doneAt: Date.now(), instanceIds: [], reason };
  }
}

function eventIdOf(body: string): string {
  const event: unknown = JSON.parse(body);
  return typeof event === "object" && event !== null && "id" in event && typeof event.id === "string" ? event.id : "";
}
