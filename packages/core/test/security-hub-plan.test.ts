import { describe, expect, it } from "vitest";
import {
  nextExportLedger,
  parseHubConfig,
  planSecurityHubExport,
  securityHubFindingKey,
  type CoverageRow,
  type CoverageStatus,
  type ExportLedger,
} from "../src/index.js";

const row = (instanceId: string, coverage: CoverageStatus, extra: Partial<CoverageRow> = {}): CoverageRow => ({
  accountId: "333333333333",
  accountName: "payments",
  region: "us-east-1",
  instanceId,
  vulnerabilityId: "cve-2024-0001 ",
  severity: "HIGH",
  packages: [],
  findingArns: [],
  tenant: "emea",
  coverage,
  coveringRules: [{ id: 1, identifier: "1011001", name: "rule", detectOnly: false }],
  effectiveRuleIds: [],
  note: coverage,
  fix: "",
  ...extra,
});

const week = (n: number) => new Date(Date.parse("2026-11-04T12:00:00Z") + n * 7 * 86_400_000).toISOString();

/** One run: plan against the ledger, import everything, carry the ledger on. */
function run(rows: CoverageRow[], ledger: ExportLedger, at: string) {
  const changes = planSecurityHubExport(rows, ledger, at, 30);
  return {
    changes: changes.map((c) => [c.key.split("/").slice(-2).join(" "), c.state, c.reason]),
    ledger: nextExportLedger(ledger, changes, at),
  };
}

describe("Security Hub export plan", () => {
  it("keys a finding by its unit, the vulnerability id normalised", () => {
    expect(securityHubFindingKey(row("i-1", "no-agent"))).toBe(
      "wshub/ips-coverage/333333333333/us-east-1/i-1/CVE-2024-0001",
    );
  });

  it("creates unshielded rows, skips rows protected on arrival, then updates, resolves, reopens and refreshes", () => {
    const first = run([row("i-1", "no-agent"), row("i-2", "rule-available"), row("i-3", "protected")], {}, week(0));
    expect(first.changes).toEqual([
      ["i-1 CVE-2024-0001", "ACTIVE", "created"],
      ["i-2 CVE-2024-0001", "ACTIVE", "created"],
    ]);
    // i-1 gets an agent (status changes, still exposed), i-2 is shielded, nothing for i-3.
    const second = run(
      [row("i-1", "rule-available"), row("i-2", "protected"), row("i-3", "protected")],
      first.ledger,
      week(1),
    );
    expect(second.changes).toEqual([
      ["i-1 CVE-2024-0001", "ACTIVE", "updated"],
      ["i-2 CVE-2024-0001", "ARCHIVED", "resolved"],
    ]);
    // Unchanged: nothing. i-2 regresses; i-1's finding is closed (row gone).
    expect(run([row("i-1", "rule-available"), row("i-2", "protected")], second.ledger, week(2)).changes).toEqual([]);
    const third = run([row("i-2", "detect-only")], second.ledger, week(3));
    expect(third.changes).toEqual([
      ["i-2 CVE-2024-0001", "ACTIVE", "reopened"],
      ["i-1 CVE-2024-0001", "ARCHIVED", "resolved"],
    ]);
    // 30 days unchanged: re-imported before Security Hub ages it out.
    expect(run([row("i-2", "detect-only")], third.ledger, week(8)).changes).toEqual([
      ["i-2 CVE-2024-0001", "ACTIVE", "refreshed"],
    ]);
  });

  it("forgets resolved findings after 90 days, keeps active ones", () => {
    const { ledger } = run([row("i-1", "no-agent"), row("i-2", "no-agent")], {}, week(0));
    const resolved = run([row("i-2", "no-agent")], ledger, week(1)).ledger;
    expect(Object.keys(nextExportLedger(resolved, [], week(20))).map((k) => k.split("/")[4])).toEqual(["i-2"]);
  });
});

describe("insights configuration", () => {
  const base = {
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    reports: { sender: "a@example.com" },
  };

  it("defaults Security Hub on once the section is there, and rejects unknown keys", () => {
    expect(parseHubConfig({ ...base, insights: { securityHub: {} } }).insights.securityHub).toEqual({
      enabled: true,
      refreshDays: 30,
    });
    expect(() => parseHubConfig({ ...base, insights: { securityHub: { enable: true } } })).toThrow(
      /insights.securityHub.enable: unknown key; did you mean enabled\?/,
    );
    expect(parseHubConfig(base).insights.securityHub).toBeUndefined();
  });

  it("validates the archive bucket and prefix", () => {
    expect(parseHubConfig({ ...base, archive: { bucket: "my-archive" } }).archive).toEqual({
      bucket: "my-archive",
      prefix: "wshub",
    });
    expect(() => parseHubConfig({ ...base, archive: { bucket: "my-archive", prefix: "/x/" } })).toThrow(
      /archive.prefix/,
    );
    expect(() => parseHubConfig({ ...base, archive: { bucket: "My_Bucket" } })).toThrow(/archive.bucket/);
  });
});
