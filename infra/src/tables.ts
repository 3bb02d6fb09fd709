import { RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  Billing,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
  type GlobalSecondaryIndexPropsV2,
} from "aws-cdk-lib/aws-dynamodb";
import { Effect, PolicyDocument, PolicyStatement, StarPrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { TABLE_DEFINITIONS, type KeyAttribute, type TableDefinition, type TableKind } from "@wshub/store";
import { Construct } from "constructs";

/** What no principal may do on the audit table: it only grows, through conditional puts. */
export const AUDIT_DENIED_ACTIONS = [
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];

/** The three tables from the store's definitions: the same keys and indexes the code uses. */
export class WshubTables extends Construct {
  readonly findings: TableV2;
  readonly runs: TableV2;
  readonly audit: TableV2;

  constructor(scope: Construct, id: string, props: { prefix: string; key: IKey }) {
    super(scope, id);
    this.findings = this.table("findings", props);
    this.runs = this.table("runs", props);
    this.audit = this.table("audit", props);
  }

  private table(kind: TableKind, props: { prefix: string; key: IKey }): TableV2 {
    const definition: TableDefinition = TABLE_DEFINITIONS[kind];
    return new TableV2(this, kind, {
      tableName: `${props.prefix}-${kind}`,
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(props.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: definition.indexes.map((index): GlobalSecondaryIndexPropsV2 => ({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: index.projection === "ALL" ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      })),
      ...(definition.appendOnly
        ? {
            resourcePolicy: new PolicyDocument({
              statements: [
                new PolicyStatement({
                  sid: "AppendOnly",
                  effect: Effect.DENY,
                  principals: [new StarPrincipal()],
                  actions: AUDIT_DENIED_ACTIONS,
                  resources: ["*"],
                }),
              ],
            }),
          }
        : {}),
    });
  }
}

function attribute(key: KeyAttribute) {
  return {
    name: key.name,
    type: key.type === "S" ? AttributeType.STRING : key.type === "N" ? AttributeType.NUMBER : AttributeType.BINARY,
  };
}
