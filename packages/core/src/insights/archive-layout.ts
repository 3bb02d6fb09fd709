/**
 * The archive bucket's layout (docs/insights.md), shared by the writer and the Glue tables: one folder per format,
 * Hive-style date partitions, one object per run and account.
 *   <prefix>/coverage-csv/dt=YYYY-MM-DD/<runId>-<accountId>.csv
 *   <prefix>/coverage-ocsf/dt=YYYY-MM-DD/<runId>-<accountId>.jsonl
 */
export const ARCHIVE_FOLDERS = { csv: "coverage-csv", ocsf: "coverage-ocsf" } as const;

export type ArchiveFormat = keyof typeof ARCHIVE_FOLDERS;

/** The partition date: the run's start, UTC. */
export function archiveDate(startedAt: string): string {
  return new Date(startedAt).toISOString().slice(0, 10);
}

export function archiveKey(input: {
  prefix: string;
  format: ArchiveFormat;
  startedAt: string;
  runId: string;
  accountId: string;
}): string {
  const extension = input.format === "csv" ? "csv" : "jsonl";
  return `${input.prefix}/${ARCHIVE_FOLDERS[input.format]}/dt=${archiveDate(input.startedAt)}/${input.runId}-${input.accountId}.${extension}`;
}
