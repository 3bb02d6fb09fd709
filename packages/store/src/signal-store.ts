import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ClaimAnswer, IdempotencyKey, SignalStore } from "@wshub/core";
import { storeError } from "./errors.js";
import { isConditionFailure } from "./lease-store.js";
import type { TableDefinition } from "./tables.js";

/** The signals table: `pk`/`sk`, no index; DynamoDB's TTL deletes items after `expiresAt` (epoch seconds). */
export const SIGNALS_TABLE_DEFINITION = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  indexes: [],
  appendOnly: false,
} as const satisfies TableDefinition;
export const SIGNALS_TTL_ATTRIBUTE = "expiresAt";

const DAY_SECONDS = 86_400;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Idempotency (`EVENT#<source>#<finding id>` / `<updated at>`), coalescing (`SCAN#<tenant>#<computer>`) and notice
 * windows (`NOTICE#<account>#<instance>`), each one conditional put, so concurrent invocations cannot both win. A
 * claimed event is held for `holdSeconds` (a crashed holder's claim expires and the redelivery acts).
 */
export class DynamoSignalStore implements SignalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claimEvent(
    key: IdempotencyKey,
    options: { now: Date; holdSeconds: number; keepDays: number },
  ): Promise<ClaimAnswer> {
    const now = seconds(options.now);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...eventKey(key),
            state: "in-progress",
            heldUntil: now + options.holdSeconds,
            [SIGNALS_TTL_ATTRIBUTE]: now + options.keepDays * DAY_SECONDS,
          },
          ConditionExpression: "attribute_not_exists(pk) OR (#state = :progress AND heldUntil < :now)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":progress": "in-progress", ":now": now },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "claimed";
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError(this.table, "PutItem", error);
      const old = error instanceof ConditionalCheckFailedException ? error.Item : undefined;
      return old?.["state"]?.S === "in-progress" ? "in-progress" : "done";
    }
  }

  async completeEvent(key: IdempotencyKey, options: { now: Date; keepDays: number }): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: eventKey(key),
          UpdateExpression: "SET #state = :done, #ttl = :ttl",
          ExpressionAttributeNames: { "#state": "state", "#ttl": SIGNALS_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":done": "done", ":ttl": seconds(options.now) + options.keepDays * DAY_SECONDS },
        }),
      );
    } catch (error) {
      throw storeError(this.table, "UpdateItem", error);
    }
  }

  async releaseEvent(key: IdempotencyKey): Promise<void> {
    await this.delete(eventKey(key));
  }

  async claimWindow(kind: "scan" | "notice", key: string, options: { now: Date; until: Date }): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...windowKey(kind, key),
            windowEnds: seconds(options.until),
            [SIGNALS_TTL_ATTRIBUTE]: seconds(options.until) + DAY_SECONDS,
          },
          ConditionExpression: "attribute_not_exists(pk) OR windowEnds <= :now",
          ExpressionAttributeValues: { ":now": seconds(options.now) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storeError(this.table, "PutItem", error);
    }
  }

  async releaseWindow(kind: "scan" | "notice", key: string): Promise<void> {
    await this.delete(windowKey(kind, key));
  }

  private async delete(key: { pk: string; sk: string }): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: key }));
    } catch (error) {
      throw storeError(this.table, "DeleteItem", error);
    }
  }
}

function eventKey(key: IdempotencyKey): { pk: string; sk: string } {
  return { pk: `EVENT#${key.source}#${key.findingId}`, sk: key.updatedAt };
}

function windowKey(kind: "scan" | "notice", key: string): { pk: string; sk: string } {
  return { pk: `${kind.toUpperCase()}#${key}`, sk: "WINDOW" };
}

/** Create the signals table with its TTL when it does not exist (sandbox and tests; CDK makes it in production). */
export async function ensureSignalsTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceNotFoundException")
      throw storeError(name, "DescribeTable", error);
  }
  const { partitionKey: pk, sortKey: sk } = SIGNALS_TABLE_DEFINITION;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [pk, sk].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [
        { AttributeName: pk.name, KeyType: "HASH" },
        { AttributeName: sk.name, KeyType: "RANGE" },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: name });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: SIGNALS_TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}
