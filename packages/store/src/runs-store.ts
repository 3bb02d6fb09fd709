import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { countCoverage, coverageContent } from "@wshub/core";
import type {
  AccountCoverage,
  AccountInsights,
  CoverageInputs,
  CoverageKeys,
  CoverageStamp,
  ReportStamp,
  AccountRunRecord,
  RunError,
  RunRecord,
  RunStore,
  Watermark,
} from "@wshub/core";
import { BlobStore } from "./blobs.js";
import { decodeCoverage, encodeCoverage, isCompactCoverage } from "./coverage-codec.js";
import { guarded, storeError } from "./errors.js";
import { isConditionFailure } from "./lease-store.js";
import { accountKey, RunBlobRecords, runKey } from "./run-blobs.js";
import { RUNS_INDEXES } from "./tables.js";

/** A stamp as stored: its keys in the run's `KEYS#<acct>` blob (inline only in stamps written before 2026-12-02). */
type StoredStamp = Omit<CoverageStamp, "inputs"> & { inputs: Omit<CoverageInputs, "keys"> & { keys?: CoverageKeys } };

/**
 * Runs, their per-account records, per-account coverage (gzip'd parts), the run's organization listing and instance
 * lists, incremental-collection watermarks, and a pointer to each account's latest coverage.
 *   RUN#<id>      RUN | ACCOUNT#<acct> | COVERAGE#<acct>#<part> | COVERAGE_LINK#<acct> | KEYS#<acct>#<part> (blobs: run-blobs.ts)
 *   ACCOUNT#<id>  WATERMARK#<region> | LATEST_COVERAGE | LAST_REPORT | EXPORT#<name>
 */
export class DynamoRunStore extends RunBlobRecords implements RunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super(new BlobStore(client, table));
  }

  createRun(run: RunRecord): Promise<void> {
    return this.putRun(run, "attribute_not_exists(pk)");
  }

  updateRun(run: RunRecord): Promise<void> {
    return this.putRun(run);
  }

  heartbeat(runId: string, expiresAt: string): Promise<boolean> {
    return this.updateIfRunning(runId, "SET #r.heartbeatExpiresAt = :expires", { ":expires": expiresAt });
  }

  closeUnfinished(runId: string, status: "interrupted" | "abandoned", at: string, error: RunError): Promise<boolean> {
    return this.updateIfRunning(
      runId,
      "SET #r.#status = :status, #r.finishedAt = :at, #r.errors = list_append(#r.errors, :errors)",
      { ":status": status, ":at": at, ":errors": [error] },
    );
  }

  /** A partial update, so a heartbeat never races a whole-record put; only a run that still says `running`. */
  private async updateIfRunning(runId: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: runKey(runId), sk: "RUN" },
          UpdateExpression: update,
          ConditionExpression: "#r.#status = :running",
          ExpressionAttributeNames: { "#r": "record", "#status": "status" },
          ExpressionAttributeValues: { ...values, ":running": "running" },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storeError(this.table, "UpdateItem", error);
    }
  }

  private async putRun(run: RunRecord, condition?: string): Promise<void> {
    await this.put(
      { pk: runKey(run.runId), sk: "RUN", gsi1pk: "RUNS", gsi1sk: `${run.startedAt}#${run.runId}`, record: run },
      condition,
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return (await this.get(runKey(runId), "RUN"))?.["record"] as RunRecord | undefined;
  }

  async listRuns(limit: number, until?: Pick<RunRecord, "runId" | "startedAt">): Promise<RunRecord[]> {
    const answer = await guarded(this.table, "Query", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: RUNS_INDEXES.byStartedAt,
          KeyConditionExpression: until ? "gsi1pk = :runs AND gsi1sk <= :until" : "gsi1pk = :runs",
          ExpressionAttributeValues: {
            ":runs": "RUNS",
            ...(until ? { ":until": `${until.startedAt}#${until.runId}` } : {}),
          },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (answer.Items ?? []).map((item) => item["record"] as RunRecord);
  }

  async putAccountRun(record: AccountRunRecord): Promise<void> {
    await this.put({ pk: runKey(record.runId), sk: `ACCOUNT#${record.accountId}`, record });
  }

  async listAccountRuns(runId: string): Promise<AccountRunRecord[]> {
    const records: AccountRunRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": runKey(runId), ":prefix": "ACCOUNT#" },
      },
    );
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await guarded(this.table, "Query", () => iterator.next());
      if (next.done) return records;
      for (const item of next.value.Items ?? []) records.push(item["record"] as AccountRunRecord);
    }
  }

  async getAccountRun(runId: string, accountId: string): Promise<AccountRunRecord | undefined> {
    return (await this.get(runKey(runId), `ACCOUNT#${accountId}`))?.["record"] as AccountRunRecord | undefined;
  }

  async getWatermark(accountId: string, region: string): Promise<Watermark | undefined> {
    return (await this.get(accountKey(accountId), `WATERMARK#${region}`))?.["record"] as Watermark | undefined;
  }

  async setWatermark(watermark: Watermark): Promise<void> {
    await this.put({ pk: accountKey(watermark.accountId), sk: `WATERMARK#${watermark.region}`, record: watermark });
  }

  async putCoverage(coverage: AccountCoverage, inputs: CoverageInputs, insights?: AccountInsights): Promise<void> {
    await this.blobs.put(runKey(coverage.runId), `COVERAGE#${coverage.accountId}`, encodeCoverage(coverage));
    // The keys of a large account pass DynamoDB's 400 KB item limit: they go with the run, the stamp names the run.
    await this.blobs.put(runKey(coverage.runId), `KEYS#${coverage.accountId}`, inputs.keys);
    const stamp: StoredStamp = {
      runId: coverage.runId,
      inputs: { findingsVersion: inputs.findingsVersion, context: inputs.context },
      content: coverageContent(coverage),
      counts: countCoverage(coverage.rows),
      findingCounts: coverage.findingCounts,
      instancesWithoutAgent: coverage.instancesWithoutAgent.length,
      evaluatedAt: coverage.evaluatedAt,
      ...(insights ? { insights } : {}),
    };
    await this.put({ pk: accountKey(coverage.accountId), sk: "LATEST_COVERAGE", stamp });
  }

  async linkCoverage(runId: string, accountId: string, stamp: CoverageStamp): Promise<void> {
    await this.put({ pk: runKey(runId), sk: `COVERAGE_LINK#${accountId}`, sourceRunId: stamp.runId });
  }

  async getCoverage(runId: string, accountId: string): Promise<AccountCoverage | undefined> {
    const stored = await this.blobs.get<unknown>(runKey(runId), `COVERAGE#${accountId}`);
    if (stored === undefined) {
      const link = await this.get(runKey(runId), `COVERAGE_LINK#${accountId}`);
      const source = link?.["sourceRunId"] as string | undefined;
      const linked = source && source !== runId ? await this.getCoverage(source, accountId) : undefined;
      return linked ? { ...linked, runId } : undefined;
    }
    return isCompactCoverage(stored) ? decodeCoverage(stored) : (stored as AccountCoverage);
  }

  async listCoverageAccounts(runId: string): Promise<string[]> {
    const accounts = new Set<string>();
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        // Stored coverage parts (COVERAGE#<acct>#<part>) and links to an earlier run's (COVERAGE_LINK#<acct>).
        ExpressionAttributeValues: { ":pk": runKey(runId), ":prefix": "COVERAGE" },
        ProjectionExpression: "sk",
      },
    );
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await guarded(this.table, "Query", () => iterator.next());
      if (next.done) return [...accounts].sort();
      for (const item of next.value.Items ?? []) accounts.add(String(item["sk"]).split("#")[1] as string);
    }
  }

  async lastReport(accountId: string): Promise<ReportStamp | undefined> {
    const stamp = (await this.get(accountKey(accountId), "LAST_REPORT"))?.["stamp"] as ReportStamp | undefined;
    return stamp?.content === undefined ? undefined : stamp;
  }

  async setLastReport(accountId: string, stamp: ReportStamp): Promise<void> {
    await this.put({ pk: accountKey(accountId), sk: "LAST_REPORT", stamp });
  }

  async latestCoverage(accountId: string): Promise<CoverageStamp | undefined> {
    const stamp = (await this.get(accountKey(accountId), "LATEST_COVERAGE"))?.["stamp"] as StoredStamp | undefined;
    // A stamp written before inputs were kept as fields cannot be compared: as if there were none (re-evaluate once).
    if (!stamp || typeof stamp.inputs !== "object") return undefined;
    const keys = stamp.inputs.keys ?? (await this.blobs.get<CoverageKeys>(runKey(stamp.runId), `KEYS#${accountId}`));
    return keys ? { ...stamp, inputs: { ...stamp.inputs, keys } } : undefined;
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const answer = await guarded(this.table, "GetItem", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: { pk, sk } })),
    );
    return answer.Item;
  }

  private async put(item: Record<string, unknown>, condition?: string): Promise<void> {
    await guarded(this.table, "PutItem", () =>
      this.client.send(
        new PutCommand({ TableName: this.table, Item: item, ...(condition ? { ConditionExpression: condition } : {}) }),
      ),
    );
  }
}
