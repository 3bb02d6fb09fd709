import { Stack } from "aws-cdk-lib";
import { CfnDatabase, CfnTable } from "aws-cdk-lib/aws-glue";
import { Effect, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";
import { ARCHIVE_FOLDERS, type HubConfig } from "@wshub/core";
import { COVERAGE_COLUMNS, OCSF_TABLE_COLUMNS } from "@wshub/reports";
import { Construct } from "constructs";

/** The first partition a query may ask for; partition projection enumerates days from here to today. */
const FIRST_DAY = "2024-01-01";

export interface ArchiveProps {
  prefix: string;
  archive: NonNullable<HubConfig["archive"]>;
  /** The role that writes the archive (the finishRun function). */
  writer: IRole;
}

/**
 * The archive's Glue catalog, so Athena can query every run's rows (docs/insights.md): a database and two external
 * tables over the customer's bucket, one for the coverage CSVs and one for the OCSF JSON lines, both partitioned by
 * `dt` with partition projection (no crawler, no MSCK REPAIR: a new day is queryable at once). The bucket is the
 * customer's own; the stack only grants wshub `s3:PutObject` under the prefix.
 */
export class ArchiveCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly csvTable: CfnTable;
  readonly ocsfTable: CfnTable;
  readonly location: { bucket: string; prefix: string };

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    this.location = { bucket: props.archive.bucket, prefix: props.archive.prefix };
    const account = Stack.of(this).account;
    const databaseName = `${props.prefix.replace(/-/g, "_")}_archive`;
    this.database = new CfnDatabase(this, "Database", {
      catalogId: account,
      databaseInput: { name: databaseName, description: "wshub: every run's IPS coverage rows (CSV and OCSF)" },
    });
    const base = `s3://${props.archive.bucket}/${props.archive.prefix}`;
    this.csvTable = this.table("CoverageCsv", databaseName, {
      name: "coverage_csv",
      location: `${base}/${ARCHIVE_FOLDERS.csv}/`,
      columns: COVERAGE_COLUMNS.map((column) => ({ name: column.header, type: "string" })),
      serde: {
        serializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
        parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
      },
      extra: { "skip.header.line.count": "1" },
    });
    this.ocsfTable = this.table("CoverageOcsf", databaseName, {
      name: "coverage_ocsf",
      location: `${base}/${ARCHIVE_FOLDERS.ocsf}/`,
      columns: [...OCSF_TABLE_COLUMNS],
      serde: {
        serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
        parameters: { "ignore.malformed.json": "true" },
      },
      extra: {},
    });
    props.writer.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["s3:PutObject"],
        resources: [`arn:${Stack.of(this).partition}:s3:::${props.archive.bucket}/${props.archive.prefix}/*`],
      }),
    );
  }

  private table(
    id: string,
    databaseName: string,
    spec: {
      name: string;
      location: string;
      columns: { name: string; type: string }[];
      serde: { serializationLibrary: string; parameters: Record<string, string> };
      extra: Record<string, string>;
    },
  ): CfnTable {
    const table = new CfnTable(this, id, {
      catalogId: Stack.of(this).account,
      databaseName,
      tableInput: {
        name: spec.name,
        tableType: "EXTERNAL_TABLE",
        partitionKeys: [{ name: "dt", type: "string" }],
        parameters: {
          classification: spec.name === "coverage_csv" ? "csv" : "json",
          "projection.enabled": "true",
          "projection.dt.type": "date",
          "projection.dt.format": "yyyy-MM-dd",
          "projection.dt.range": `${FIRST_DAY},NOW`,
          "projection.dt.interval": "1",
          "projection.dt.interval.unit": "DAYS",
          "storage.location.template": `${spec.location}dt=\${dt}/`,
          ...spec.extra,
        },
        storageDescriptor: {
          location: spec.location,
          columns: spec.columns,
          inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          serdeInfo: spec.serde,
        },
      },
    });
    table.addDependency(this.database);
    return table;
  }
}
