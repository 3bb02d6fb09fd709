import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { findingFingerprint, type Finding, type FindingStore } from "@wshub/core";
import { batchGet, batchWrite } from "./batch.js";
import { guarded } from "./errors.js";

/**
 * Findings, one partition per account. This table is the long-term record: Inspector deletes closed findings after 3 to
 * 30 days, wshub keeps them. An item is the finding plus its fingerprint (to skip rewriting unchanged ones).
 */
export class DynamoFindingStore implements FindingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async fingerprints(accountId: string, findingArns: string[]): Promise<Map<string, string>> {
    const keys = [...new Set(findingArns)].map((arn) => ({ pk: accountKey(accountId), sk: findingKey(arn) }));
    const items = await batchGet(this.client, this.table, keys, "findingArn, fingerprint");
    return new Map(items.map((item) => [item["findingArn"] as string, item["fingerprint"] as string]));
  }

  async put(findings: Finding[]): Promise<number> {
    const storedAt = this.now().toISOString();
    const unique = new Map(findings.map((f) => [f.findingArn, f]));
    await batchWrite(
      this.client,
      this.table,
      [...unique.values()].map((finding) => ({ PutRequest: { Item: toItem(finding, storedAt) } })),
    );
    // After the findings: a reader that sees the new version also sees the findings behind it.
    const accounts = new Set([...unique.values()].map((f) => f.accountId));
    const version = `${storedAt}#${Math.random().toString(36).slice(2, 10)}`;
    await batchWrite(
      this.client,
      this.table,
      [...accounts].map((accountId) => ({
        PutRequest: { Item: { pk: accountKey(accountId), sk: VERSION_KEY, version } },
      })),
    );
    return unique.size;
  }

  async version(accountId: string): Promise<string | undefined> {
    const answer = await guarded(this.table, "GetItem", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: { pk: accountKey(accountId), sk: VERSION_KEY } })),
    );
    return answer.Item?.["version"] as string | undefined;
  }

  async *findingsOf(accountId: string): AsyncIterable<Finding[]> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": accountKey(accountId) },
      },
    );
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await guarded(this.table, "Query", () => iterator.next());
      if (next.done) return;
      yield (next.value.Items ?? []).filter((item) => item["sk"] !== VERSION_KEY).map(fromItem);
    }
  }
}

/** One item per account that changes with every write (sorts before every finding key). */
const VERSION_KEY = "#VERSION";

function accountKey(accountId: string): string {
  return `ACCOUNT#${accountId}`;
}

/** `arn:aws:inspector2:<region>:<account>:finding/<id>` → `<region>#<id>`; other shapes are kept whole. */
export function findingKey(findingArn: string): string {
  const match = /^arn:[^:]+:inspector2:([^:]*):\d*:finding\/(.+)$/.exec(findingArn);
  return match ? `${match[1]}#${match[2]}` : `ARN#${findingArn}`;
}

/**
 * An item is the finding as one JSON string attribute (`body`) beside its keys, fingerprint and ARN: a finding's
 * nested attributes (packages, remediation, resources) marshalled field by field cost more CPU, in the SDK and in
 * DynamoDB, than the rest of a run's evaluation (profiled at M, 2026-12-02).
 */
function toItem(finding: Finding, storedAt: string): Record<string, unknown> {
  return {
    pk: accountKey(finding.accountId),
    sk: findingKey(finding.findingArn),
    findingArn: finding.findingArn,
    fingerprint: findingFingerprint(finding),
    storedAt,
    body: JSON.stringify(finding),
  };
}

const BOOKKEEPING = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "fingerprint", "storedAt"]);

function fromItem(item: Record<string, unknown>): Finding {
  const body = item["body"];
  if (typeof body === "string") return JSON.parse(body) as Finding;
  // Written before 2026-12-02: the finding's fields as attributes.
  const finding: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!BOOKKEEPING.has(key)) finding[key] = value;
  return finding as unknown as Finding;
}
