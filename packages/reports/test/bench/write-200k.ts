/**
 * Measures writing one account's coverage CSV and workbook for many rows (default 200,000). Not a test: run it by
 * hand and read the numbers.
 *
 *   pnpm tsx packages/reports/test/bench/write-200k.ts [rows] [csv|xlsx|both]
 *
 * Prints wall time per file, file sizes, the RSS once the rows are built (the hub holds them too) and the peak RSS
 * of the process (getrusage maxRSS).
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COVERAGE_STATUSES, countCoverage, FIX_FOR_STATUS, SEVERITIES, type CoverageRow } from "@wshub/core";
import { writeAccountWorkbook, writeCoverageCsv } from "../../src/index.js";
import { accountCoverage, coverageRow, META } from "../fixtures.js";

const rowCount = Number(process.argv[2] ?? 200_000);
const mode = process.argv[3] ?? "both";
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function buildRows(count: number): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (let i = 0; i < count; i++) {
    const status = COVERAGE_STATUSES[i % COVERAGE_STATUSES.length] ?? "protected";
    rows.push(
      coverageRow({
        instanceId: `i-${(i % 5000).toString(16).padStart(17, "0")}`,
        instanceName: `web-${i % 5000}`,
        vulnerabilityId: `CVE-2024-${String(i).padStart(6, "0")}`,
        severity: SEVERITIES[i % SEVERITIES.length] ?? "HIGH",
        coverage: status,
        fix: FIX_FOR_STATUS[status],
        findingArns: [`arn:aws:inspector2:us-east-1:333333333333:finding/${i.toString(16).padStart(32, "0")}`],
      }),
    );
  }
  return rows;
}

async function timed(label: string, path: string, write: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await write();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s, ${mb((await stat(path)).size)}`);
}

const dir = await mkdtemp(join(tmpdir(), "wshub-bench-"));
try {
  const rows = buildRows(rowCount);
  const coverage = accountCoverage(rows);
  const counts = countCoverage(rows);
  console.log(`${rowCount} rows built, RSS ${mb(process.memoryUsage().rss)}`);
  if (mode !== "xlsx") {
    const path = join(dir, "coverage.csv");
    await timed("CSV ", path, () => writeCoverageCsv(path, rows));
  }
  if (mode !== "csv") {
    const path = join(dir, "coverage.xlsx");
    await timed("XLSX", path, () => writeAccountWorkbook(path, { coverage, counts, meta: META }));
  }
  console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
