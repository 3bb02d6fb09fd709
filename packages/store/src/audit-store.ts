import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  AUDIT_SELECTORS,
  ERROR_CODES,
  MAX_AUDIT_ITEMS,
  normalizeVulnerabilityId,
  WshubError,
  type AuditEvent,
  type AuditQuery,
  type AuditStore,
} from "@wshub/core";
import { storeError } from "./errors.js";
import { AUDIT_INDEXES } from "./tables.js";

/**
 * The append-only audit trail. Each event is one primary item (`RUN#<runId>`, `EVENT#<eventId>`) carrying three GSI
 * keys (account, tenant, instance, each with `<at>#<eventId>` as sort key), plus one index item per CVE, per rule
 * identifier and for the finding that caused it (`CVE#<id>` / `RULE#<identifier>` / `FINDING#<id>`), because a GSI
 * cannot index a list; an intent also goes to `INTENTS#<tenant>` and an outcome to `OUTCOMES#<tenant>`, so the intents
 * left without outcome by a crash are found with two queries. Every item is put with `attribute_not_exists(pk)` inside
 * one transaction with its siblings: an event and its index items land together or not at all (an event is never split
 * across transactions), and nothing is ever overwritten, updated or deleted.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(events: AuditEvent[]): Promise<void> {
    for (const group of transactionGroups(events.map(itemsOf), events)) {
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
    // The run partition is keyed by event id, not time: its time bounds are applied here, before counting to the limit.
    const inRange = (event: AuditEvent) => event.at >= since && event.at <= until;
    for await (const items of this.pages(selector, since, until)) {
      for (const item of items) {
        const event = item["event"] as AuditEvent;
        if (inRange(event)) events.push(event);
      }
      // A time-keyed partition arrives newest first; the run partition must be read whole to be ordered by time.
      if (selector.byTime && query.limit !== undefined && events.length >= query.limit) break;
    }
    events.sort((a, b) => (a.at === b.at ? b.eventId.localeCompare(a.eventId) : b.at.localeCompare(a.at)));
    return query.limit === undefined ? events : events.slice(0, query.limit);
  }

  async unresolvedIntents(tenant: string, since: string, until?: string): Promise<AuditEvent[]> {
    const end = `${until ?? "9999"}\uffff`;
    const intents: AuditEvent[] = [];
    for await (const items of this.pages(timeKeyed(`INTENTS#${tenant}`), since, end))
      for (const item of items) intents.push(item["event"] as AuditEvent);
    // An outcome is written after its intent: every outcome of these intents is at or after `since`.
    const resolved = new Set<string>();
    for await (const items of this.pages(timeKeyed(`OUTCOMES#${tenant}`), since, "9999\uffff"))
      for (const item of items) resolved.add(String(item["intentId"]));
    return intents.filter((intent) => !resolved.has(intent.eventId)).sort((a, b) => a.at.localeCompare(b.at));
  }

  private async *pages(selector: Selector, since: string, until: string): AsyncIterable<Record<string, unknown>[]> {
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
      yield answer.Items ?? [];
      startKey = answer.LastEvaluatedKey;
    } while (startKey);
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

function timeKeyed(pk: string): Selector {
  return { pk, pkName: "pk", skName: "sk", byTime: true };
}

function selectorOf(query: AuditQuery): Selector {
  const given = AUDIT_SELECTORS.filter((key) => query[key] !== undefined);
  const [key] = given;
  if (key === undefined || given.length !== 1)
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      `an audit query needs exactly one of run, account, tenant, instance, CVE, rule or finding; got ${given.length === 0 ? "none" : given.join(", ")}`,
      {
        given: given.join(","),
      },
    );
  const value = query[key] ?? "";
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
      return timeKeyed(`CVE#${normalizeVulnerabilityId(value)}`);
    case "ruleIdentifier":
      return timeKeyed(`RULE#${value.trim()}`);
    case "findingId":
      return timeKeyed(`FINDING#${value.trim()}`);
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
    gsi3pk: `INSTANCE#${event.instanceId ?? "-"}`,
    gsi3sk: timeKey,
    event,
  };
  const indexed = (pk: string, fields: Record<string, unknown> = { event }) => ({ pk, sk: timeKey, ...fields });
  return [
    primary,
    ...[...new Set(event.cves.map(normalizeVulnerabilityId))].map((cve) => indexed(`CVE#${cve}`)),
    ...[...new Set(event.ruleIdentifiers)].map((rule) => indexed(`RULE#${rule}`)),
    ...(event.signal ? [indexed(`FINDING#${event.signal.findingId}`)] : []),
    ...(event.action === "intent" ? [indexed(`INTENTS#${event.tenant}`)] : []),
    ...(event.intentId ? [indexed(`OUTCOMES#${event.tenant}`, { intentId: event.intentId })] : []),
  ];
}

/** Pack whole events into transactions; an event too large for one is refused (the recorder splits such events). */
function transactionGroups(perEvent: Record<string, unknown>[][], events: AuditEvent[]): Record<string, unknown>[][] {
  const groups: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  perEvent.forEach((items, i) => {
    if (items.length > MAX_AUDIT_ITEMS) {
      const event = events[i];
      throw new WshubError(
        ERROR_CODES.STORE_FAILED,
        `audit event ${event?.eventId} needs ${items.length} items, more than one transaction holds (${MAX_AUDIT_ITEMS}); split it with splitForIndex`,
        { eventId: event?.eventId ?? "", items: items.length },
      );
    }
    if (current.length + items.length > MAX_AUDIT_ITEMS) {
      groups.push(current);
      current = [];
    }
    current.push(...items);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
