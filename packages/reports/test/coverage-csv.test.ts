import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { WshubError, type CoverageRow } from "@wshub/core";
import { COVERAGE_COLUMNS, writeCoverageCsv } from "../src/index.js";
import { coverageRow, HOSTILE_VALUES, mixedRows, withTempDir } from "./fixtures.js";

const REQUIRED = ["account_id", "region", "instance_id", "vulnerability_id", "coverage", "ips_rules", "severity"];

async function csvOf(rows: CoverageRow[], options = {}): Promise<string> {
  return withTempDir(async (dir) => {
    const path = join(dir, "coverage.csv");
    const result = await writeCoverageCsv(path, rows, options);
    expect(result.rows).toBe(rows.length);
    return readFile(path, "utf8");
  });
}

function parseRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];
}

describe("coverage CSV", () => {
  it("has one header row with the required columns and the documented extras", async () => {
    const text = await csvOf(mixedRows());
    const [header] = parse(text, { to_line: 1 }) as string[][];
    expect(header).toEqual(COVERAGE_COLUMNS.map((c) => c.header));
    for (const name of REQUIRED) expect(header).toContain(name);
    expect(new Set(header).size).toBe(header?.length);
    expect(parseRecords(text)).toHaveLength(42);
  });

  it("writes RFC 4180: CRLF line ends, no BOM by default, one record per row", async () => {
    const text = await csvOf([coverageRow()]);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.split("\r\n")).toHaveLength(3); // header, row, trailing empty
    const withBom = await csvOf([coverageRow()], { bom: true });
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
  });

  it("writes the values of a row: rule identifiers ascending and space separated, numbers plain", async () => {
    const [record] = parseRecords(await csvOf([coverageRow()]));
    expect(record).toMatchObject({
      account_id: "333333333333",
      region: "us-east-1",
      instance_id: "i-0a10000000000001",
      vulnerability_id: "CVE-2024-1001",
      coverage: "protected",
      ips_rules: "1011001 1011002",
      effective_ips_rules: "1011002",
      severity: "HIGH",
      computer_id: "501",
      policy_id: "7",
      finding_count: "2",
      inspector_score: "7.5",
      packages: "openssl 3.0.2; libssl3 3.0.2",
      tenant: "tenant-a",
    });
  });

  it("leaves cells empty for what a row does not have", async () => {
    const row = coverageRow({ coverage: "no-agent", coveringRules: [], effectiveRuleIds: [], tenant: null });
    delete row.computer;
    delete row.inspectorScore;
    const [record] = parseRecords(await csvOf([row]));
    expect(record).toMatchObject({ ips_rules: "", computer_id: "", policy_id: "", inspector_score: "", tenant: "" });
  });

  it("quotes commas, quotes and line breaks so they survive a round trip", async () => {
    const awkward = 'web, "blue"\nline two\r\nline three';
    const [record] = parseRecords(await csvOf([coverageRow({ instanceName: awkward, accountName: "a,b" })]));
    expect(record?.instance_name).toBe(awkward);
    expect(record?.account_name).toBe("a,b");
  });

  it("neutralises formula-like text in every text cell", async () => {
    const rows = HOSTILE_VALUES.map((value) =>
      coverageRow({ instanceName: value, accountName: value, note: value, packages: [value] }),
    );
    const records = parseRecords(await csvOf(rows));
    records.forEach((record, i) => {
      const expected = `'${HOSTILE_VALUES[i]}`;
      expect(record.instance_name).toBe(expected);
      expect(record.account_name).toBe(expected);
      expect(record.note).toBe(expected);
      expect(record.packages).toBe(expected);
    });
  });

  it("streams to a Writable and from an async iterable", async () => {
    async function* rows(): AsyncGenerator<CoverageRow> {
      for (let i = 0; i < 5000; i++) yield coverageRow({ vulnerabilityId: `CVE-2024-${i}` });
    }
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await writeCoverageCsv(sink, rows());
    expect(result.rows).toBe(5000);
    expect(parseRecords(Buffer.concat(chunks).toString("utf8"))).toHaveLength(5000);
  });

  it("names the path in a typed error when the file cannot be written", async () => {
    const error = await writeCoverageCsv("/nonexistent-dir/x/coverage.csv", [coverageRow()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WshubError);
    expect((error as WshubError).code).toBe("REPORT_FAILED");
    expect((error as WshubError).message).toContain("/nonexistent-dir/x/coverage.csv");
  });
});
