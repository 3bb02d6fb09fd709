import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { RunRecord } from "@wshub/core";
import { startDynamoDbLocal } from "@wshub/sandbox";
import { createTables, type TableNames } from "../src/index.js";

/** DynamoDB Local with the three tables, one fixed access key (it keeps one database per key). */
export async function localTables(suffix: string) {
  const local = await startDynamoDbLocal();
  const raw = new DynamoDBClient({
    endpoint: local.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "222222222222", secretAccessKey: "x" },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const names: TableNames = { findings: `findings-${suffix}`, runs: `runs-${suffix}`, audit: `audit-${suffix}` };
  await createTables(raw, names);
  return { local, raw, client, names, stop: () => local.stop() };
}

/** A run record as `startRun` writes it. */
export function runRecord(runId: string, startedAt: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId,
    startedAt,
    status: "running",
    trigger: "test",
    actor: "arn:aws:iam::222222222222:user/wshub-hub",
    collectionMode: "member-role",
    regions: ["us-east-1"],
    accountsTotal: 0,
    accountsAssessed: 0,
    accountsFailed: 0,
    accountsSkipped: 0,
    findingsRead: 0,
    findingsWritten: 0,
    coverageRows: 0,
    errors: [],
    ...overrides,
  };
}
