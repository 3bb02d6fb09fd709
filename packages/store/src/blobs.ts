import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "./batch.js";
import { guarded } from "./errors.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Below DynamoDB's 400 KB item limit with room for the keys. */
const PART_BYTES = 350_000;

/**
 * Large JSON values (a run's coverage of an account, its organization listing) stored gzip'd in numbered parts under
 * one partition: `sk = <prefix>#<part>`. Part 0 records how many parts there are, so a shorter rewrite removes the
 * parts the new value no longer has.
 */
export class BlobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(pk: string, prefix: string, value: unknown, extra: Record<string, unknown> = {}): Promise<void> {
    const data = await gzipAsync(Buffer.from(JSON.stringify(value)));
    const parts = Math.max(1, Math.ceil(data.length / PART_BYTES));
    const previous = await this.partCount(pk, prefix);
    const puts = Array.from({ length: parts }, (_, i) => ({
      PutRequest: {
        Item: {
          pk,
          sk: partKey(prefix, i),
          data: data.subarray(i * PART_BYTES, (i + 1) * PART_BYTES),
          ...(i === 0 ? { parts, ...extra } : {}),
        },
      },
    }));
    const stale = Array.from({ length: Math.max(0, previous - parts) }, (_, i) => ({
      DeleteRequest: { Key: { pk, sk: partKey(prefix, parts + i) } },
    }));
    await batchWrite(this.client, this.table, [...puts, ...stale]);
  }

  async get<T>(pk: string, prefix: string): Promise<T | undefined> {
    const chunks: { index: number; data: Uint8Array }[] = [];
    let expected = 0;
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": `${prefix}#` },
      },
    );
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await guarded(this.table, "Query", () => iterator.next());
      if (next.done) break;
      for (const item of next.value.Items ?? []) {
        const index = Number(String(item["sk"]).slice(prefix.length + 1));
        if (index === 0) expected = Number(item["parts"]);
        chunks.push({ index, data: item["data"] as Uint8Array });
      }
    }
    if (chunks.length === 0) return undefined;
    const data = Buffer.concat(
      chunks
        .filter((c) => c.index < expected)
        .sort((a, b) => a.index - b.index)
        .map((c) => c.data),
    );
    return JSON.parse((await gunzipAsync(data)).toString("utf8")) as T;
  }

  private async partCount(pk: string, prefix: string): Promise<number> {
    const answer = await guarded(this.table, "GetItem", () =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk, sk: partKey(prefix, 0) }, ProjectionExpression: "parts" }),
      ),
    );
    return Number(answer.Item?.["parts"] ?? 0);
  }
}

/** Zero-padded so parts sort in order. */
function partKey(prefix: string, index: number): string {
  return `${prefix}#${String(index).padStart(4, "0")}`;
}
