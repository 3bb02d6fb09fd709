import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ERROR_CODES,
  normalizeVulnerabilityId,
  WshubError,
  type AuditEvent,
  type AuditQuery,
  type AuditStore,
} from "@wshub/core";
import { storeError } from "./errors.js";
import { AUDIT_INDEXES } from "./tables.js";

/** DynamoDB's limit of actions in one TransactWriteItems. */
const MAX_ACTIONS = 100;

/**
 * The append-only audit trail. Each event is one primary item (`RUN#<runId>`, `EVENT#<eventId>`) carrying three GSI
 * keys (account, tenant, instance, each with `<at>#<eventId>` as sort key), plus one index item per CVE and per rule
 * identifier (`CVE#<id>` / `RULE#<identifier>`, sort key `<at>#<eventId>`), because a GSI cannot index a list.
 * Every item is put with `attribute_not_exists(pk)` inside a transaction with its siblings: an event and its index
 * items land together or not at all, and nothing is ever overwritten, updated or deleted.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(events: AuditEvent[]): Promise<void> {
    for (const group of transactionGroups(events.map(itemsOf))) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: group.map((item) => ({
              Put: { TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" },
            })),
          }),
        );
      } catch (error) {
        throw this.appendError(error, group);
      }
    }
  }

  async query(query: AuditQuery): Promise<AuditEvent[]> {
    const selector = selectorOf(query);
    // An empty string is not a valid key value; every ISO timestamp sorts after "0".
    const since = query.since ?? "0";
    const until = `${query.until ?? "9999"}\uffff`;
    const events: AuditEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const answer = await this.client
        .send(
          new QueryCommand({
            TableName: this.table,
            ...(selector.index ? { IndexName: selector.index } : {}),
            KeyConditionExpression: `#pk = :pk AND ${selector.byTime ? "#sk BETWEEN :since AND :until" : "begins_with(#sk, :prefix)"}`,
            ExpressionAttributeNames: { "#pk": selector.pkName, "#sk": selector.skName },
            ExpressionAttributeValues: selector.byTime
              ? { ":pk": selector.pk, ":since": since, ":until": until }
              : { ":pk": selector.pk, ":prefix": "EVENT#" },
            ScanIndexForward: false,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        )
        .catch((error: unknown) => {
          throw storeError(this.table, "Query", error);
        });
      for (const item of answer.Items ?? []) events.push(item["event"] as AuditEvent);
      startKey = answer.LastEvaluatedKey;
    } while (startKey && (query.limit === undefined || events.length < query.limit));
    // The run partition is keyed by event id: apply the time bounds and newest-first order here.
    const inRange = events.filter((e) => e.at >= since && e.at <= until);
    inRange.sort((a, b) => (a.at === b.at ? b.eventId.localeCompare(a.eventId) : b.at.localeCompare(a.at)));
    return query.limit === undefined ? inRange : inRange.slice(0, query.limit);
  }

  private appendError(error: unknown, group: Record<string, unknown>[]): WshubError {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const collided = reasons.findIndex((reason) => reason.Code === "ConditionalCheckFailed");
    if (collided >= 0) {
      const item = group[collided] as Record<string, unknown>;
      const eventId = (item["event"] as AuditEvent).eventId;
      return new WshubError(
        ERROR_CODES.AUDIT_ITEM_EXISTS,
        `audit item ${String(item["pk"])} / ${String(item["sk"])} already exists (event ${eventId}); audit items are never overwritten`,
        {
          eventId,
          table: this.table,
        },
      );
    }
    return storeError(this.table, "TransactWriteItems", error);
  }
}

interface Selector {
  pk: string;
  pkName: string;
  skName: string;
  index?: string;
  byTime: boolean;
}

function selectorOf(query: AuditQuery): Selector {
  const given = (["runId", "accountId", "tenant", "instanceId", "cve", "ruleIdentifier"] as const).filter(
    (key) => query[key] !== undefined,
  );
  if (given.length !== 1)
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      `an audit query needs exactly one of run, account, tenant, instance, CVE or rule; got ${given.length === 0 ? "none" : given.join(", ")}`,
      {
        given: given.join(","),
      },
    );
  const [key] = given as [(typeof given)[number]];
  const value = query[key] as string;
  switch (key) {
    case "runId":
      return { pk: `RUN#${value}`, pkName: "pk", skName: "sk", byTime: false };
    case "accountId":
      return {
        pk: `ACCOUNT#${value}`,
        pkName: "gsi1pk",
        skName: "gsi1sk",
        index: AUDIT_INDEXES.byAccount,
        byTime: true,
      };
    case "tenant":
      return { pk: `TENANT#${value}`, pkName: "gsi2pk", skName: "gsi2sk", index: AUDIT_INDEXES.byTenant, byTime: true };
    case "instanceId":
      return {
        pk: `INSTANCE#${value}`,
        pkName: "gsi3pk",
        skName: "gsi3sk",
        index: AUDIT_INDEXES.byInstance,
        byTime: true,
      };
    case "cve":
      return { pk: `CVE#${normalizeVulnerabilityId(value)}`, pkName: "pk", skName: "sk", byTime: true };
    case "ruleIdentifier":
      return { pk: `RULE#${value.trim()}`, pkName: "pk", skName: "sk", byTime: true };
  }
}

/** The primary item and its index items for one event. */
function itemsOf(event: AuditEvent): Record<string, unknown>[] {
  const timeKey = `${event.at}#${event.eventId}`;
  const primary = {
    pk: `RUN#${event.runId}`,
    sk: `EVENT#${event.eventId}`,
    gsi1pk: `ACCOUNT#${event.accountId}`,
    gsi1sk: timeKey,
    gsi2pk: `TENANT#${event.tenant}`,
    gsi2sk: timeKey,
    gsi3pk: `INSTANCE#${event.instanceId}`,
    gsi3sk: timeKey,
    event,
  };
  const cves = [...new Set(event.cves.map(normalizeVulnerabilityId))].map((cve) => ({
    pk: `CVE#${cve}`,
    sk: timeKey,
    event,
  }));
  const rules = [...new Set(event.ruleIdentifiers)].map((rule) => ({ pk: `RULE#${rule}`, sk: timeKey, event }));
  return [primary, ...cves, ...rules];
}

/** Pack events' items into transactions without splitting an event, unless one event alone exceeds the limit. */
function transactionGroups(perEvent: Record<string, unknown>[][]): Record<string, unknown>[][] {
  const groups: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  for (const items of perEvent) {
    if (current.length + items.length > MAX_ACTIONS && current.length > 0) {
      groups.push(current);
      current = [];
    }
    for (let i = 0; i < items.length; i += MAX_ACTIONS) {
      const slice = items.slice(i, i + MAX_ACTIONS);
      if (current.length + slice.length > MAX_ACTIONS) {
        groups.push(current);
        current = [];
      }
      current.push(...slice);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
