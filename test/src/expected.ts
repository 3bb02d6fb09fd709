import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "csv-parse/sync";
import { ipsRulesCell, type CoverageRow } from "@wshub/core";

/** The columns example-small.expected.csv fixes. */
export const EXPECTED_COLUMNS = [
  "account_id",
  "region",
  "instance_id",
  "vulnerability_id",
  "coverage",
  "ips_rules",
  "severity",
] as const;

export function expectedRows(): Record<string, string>[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@wshub/sandbox/scenarios/example-small.expected.csv");
  return parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** Rows reduced to the expected columns, sorted the same way, for comparison. */
export function project(rows: Record<string, string>[]): string[] {
  return rows.map((row) => EXPECTED_COLUMNS.map((c) => row[c] ?? "").join(",")).sort();
}

export function projectCoverage(rows: CoverageRow[]): string[] {
  return project(
    rows.map((r) => ({
      account_id: r.accountId,
      region: r.region,
      instance_id: r.instanceId,
      vulnerability_id: r.vulnerabilityId,
      coverage: r.coverage,
      ips_rules: ipsRulesCell(r),
      severity: r.severity,
    })),
  );
}
