import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { Lease, LeaseClaim, LeaseHolder, LeaseStore } from "@wshub/core";
import { storeError } from "./errors.js";

/**
 * Leases live in the runs table (`LEASE#<name>`, `LEASE`). Taking one is a conditional put — free, expired, or ours —
 * so two hubs racing for it cannot both win; renewing and releasing are conditional on still being the holder.
 */
export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async acquire(name: string, holder: LeaseHolder, ttlMs: number, now: Date): Promise<LeaseClaim> {
    const lease: Lease = { name, holder, acquiredAt: now.toISOString(), expiresAt: now.getTime() + ttlMs };
    try {
      const answer = await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(name), lease, holderRunId: holder.runId, expiresAt: lease.expiresAt },
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now OR holderRunId = :me",
          ExpressionAttributeValues: { ":now": now.getTime(), ":me": holder.runId },
          ReturnValues: "ALL_OLD",
        }),
      );
      const old = answer.Attributes?.["lease"] as Lease | undefined;
      return old && old.holder.runId !== holder.runId
        ? { acquired: true, lease, replaced: old }
        : { acquired: true, lease };
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError(this.table, "PutItem", error);
      const current = await this.get(name);
      // Released between the put and the read: try once more.
      return current ? { acquired: false, current } : this.acquire(name, holder, ttlMs, now);
    }
  }

  async renew(name: string, runId: string, ttlMs: number, now: Date): Promise<boolean> {
    const expiresAt = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(name),
          UpdateExpression: "SET expiresAt = :e, lease.expiresAt = :e",
          ConditionExpression: "holderRunId = :me",
          ExpressionAttributeValues: { ":e": expiresAt, ":me": runId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storeError(this.table, "UpdateItem", error);
    }
  }

  async release(name: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: key(name),
          ConditionExpression: "holderRunId = :me",
          ExpressionAttributeValues: { ":me": runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError(this.table, "DeleteItem", error);
    }
  }

  async get(name: string): Promise<Lease | undefined> {
    try {
      const answer = await this.client.send(new GetCommand({ TableName: this.table, Key: key(name) }));
      return answer.Item?.["lease"] as Lease | undefined;
    } catch (error) {
      throw storeError(this.table, "GetItem", error);
    }
  }
}

function key(name: string): { pk: string; sk: string } {
  return { pk: `LEASE#${name}`, sk: "LEASE" };
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}
