import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ERROR_CODES, mapWithConcurrency, WshubError } from "@wshub/core";
import { guarded } from "./errors.js";

const MAX_ATTEMPTS = 10;

function pause(attempt: number): Promise<void> {
  const ceiling = Math.min(5_000, 50 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * ceiling)));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

type WriteRequest =
  { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** BatchWriteItem in chunks of 25, a few in flight, unprocessed items retried with backoff and jitter. */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
  concurrency = 4,
): Promise<void> {
  await mapWithConcurrency(chunk(requests, 25), concurrency, async (batch) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS)
        throw new WshubError(
          ERROR_CODES.STORE_FAILED,
          `DynamoDB BatchWriteItem on ${table}: ${pending.length} items still unprocessed after ${MAX_ATTEMPTS} attempts`,
          {
            table,
            operation: "BatchWriteItem",
          },
        );
      const answer = await guarded(table, "BatchWriteItem", () =>
        client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } })),
      );
      pending = (answer.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      if (pending.length > 0) await pause(attempt);
    }
  });
}

/** BatchGetItem in chunks of 100, unprocessed keys retried. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await mapWithConcurrency(chunk(keys, 100), 4, async (batch) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS)
        throw new WshubError(
          ERROR_CODES.STORE_FAILED,
          `DynamoDB BatchGetItem on ${table}: keys still unprocessed after ${MAX_ATTEMPTS} attempts`,
          {
            table,
            operation: "BatchGetItem",
          },
        );
      const answer = await guarded(table, "BatchGetItem", () =>
        client.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ...(projection ? { ProjectionExpression: projection } : {}) } },
          }),
        ),
      );
      found.push(...((answer.Responses?.[table] ?? []) as Record<string, unknown>[]));
      pending = (answer.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await pause(attempt);
    }
  });
  return found;
}
