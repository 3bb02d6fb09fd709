import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/**
 * The tables, defined once as plain data: the repositories here use these names, `createTables` makes them for the
 * sandbox and tests, and the CDK hub stack maps the same definitions to its resources.
 */
export interface KeyAttribute {
  name: string;
  type: "S" | "N" | "B";
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  projection: "ALL" | "KEYS_ONLY";
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  indexes: IndexDefinition[];
  /** Items are only ever put with a not-exists condition; no principal is granted UpdateItem or DeleteItem. */
  appendOnly: boolean;
}

const S = (name: string): KeyAttribute => ({ name, type: "S" });

export const RUNS_INDEXES = { byStartedAt: "byStartedAt" } as const;
export const AUDIT_INDEXES = { byAccount: "byAccount", byTenant: "byTenant", byInstance: "byInstance" } as const;

export const TABLE_DEFINITIONS = {
  // No secondary index: nothing reads findings but by account, and an index would double every finding's writes.
  findings: { partitionKey: S("pk"), sortKey: S("sk"), indexes: [], appendOnly: false },
  runs: {
    partitionKey: S("pk"),
    sortKey: S("sk"),
    indexes: [{ name: RUNS_INDEXES.byStartedAt, partitionKey: S("gsi1pk"), sortKey: S("gsi1sk"), projection: "ALL" }],
    appendOnly: false,
  },
  audit: {
    partitionKey: S("pk"),
    sortKey: S("sk"),
    indexes: [
      { name: AUDIT_INDEXES.byAccount, partitionKey: S("gsi1pk"), sortKey: S("gsi1sk"), projection: "ALL" },
      { name: AUDIT_INDEXES.byTenant, partitionKey: S("gsi2pk"), sortKey: S("gsi2sk"), projection: "ALL" },
      { name: AUDIT_INDEXES.byInstance, partitionKey: S("gsi3pk"), sortKey: S("gsi3sk"), projection: "ALL" },
    ],
    appendOnly: true,
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKind = keyof typeof TABLE_DEFINITIONS;
export type TableNames = Record<TableKind, string>;

/** Create the tables that do not exist yet (on-demand billing) and wait until they are active. */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    (Object.keys(names) as TableKind[]).map(async (kind) => {
      const name = names[kind];
      if (await exists(client, name)) return;
      const definition: TableDefinition = TABLE_DEFINITIONS[kind];
      const attributes = new Map<string, KeyAttribute>();
      for (const key of [
        definition.partitionKey,
        definition.sortKey,
        ...definition.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ])
        attributes.set(key.name, key);
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
          KeySchema: [
            { AttributeName: definition.partitionKey.name, KeyType: "HASH" },
            { AttributeName: definition.sortKey.name, KeyType: "RANGE" },
          ],
          ...(definition.indexes.length > 0
            ? {
                GlobalSecondaryIndexes: definition.indexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: [
                    { AttributeName: index.partitionKey.name, KeyType: "HASH" as const },
                    { AttributeName: index.sortKey.name, KeyType: "RANGE" as const },
                  ],
                  Projection: { ProjectionType: index.projection },
                })),
              }
            : {}),
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: name });
    }),
  );
}

async function exists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
    throw error;
  }
}
