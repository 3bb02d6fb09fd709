import { describe, expect, it } from "vitest";
import {
  accountInsights,
  comparePriority,
  computeKpis,
  daysExposed,
  histogramQuantile,
  mergeInsights,
  prioritize,
  projectedCoveragePercent,
  kpiCoveragePercent,
  shieldStats,
  shieldStates,
  previousEvaluation,
  newlyShielded,
  statusIfAssigned,
  trendSeries,
  statusPercent,
  coverageChange,
  emptyCoverageCounts,
  countCoverage,
  type AuditEvidence,
  type CoverageRow,
  type CoverageStatus,
} from "../src/index.js";

let seq = 0;
function row(overrides: Partial<CoverageRow> & { coverage: CoverageStatus }): CoverageRow {
  seq++;
  return {
    accountId: "111111111111",
    accountName: "payments",
    region: "us-east-1",
    instanceId: `i-${String(seq).padStart(4, "0")}`,
    vulnerabilityId: `CVE-2024-${String(seq).padStart(4, "0")}`,
    severity: "MEDIUM",
    packages: [],
    findingArns: [],
    tenant: "emea",
    coveringRules: [],
    effectiveRuleIds: [],
    note: "",
    fix: "",
    ...overrides,
  };
}

const rule = (id: number, detectOnly = false) => ({ id, identifier: `10${id}`, name: `rule ${id}`, detectOnly });
const computer = (ipsState: "prevent" | "detect" | "off", agentStatus: "active" | "error" = "active") => ({
  id: 1,
  name: "host",
  policyId: 1,
  ipsState,
  agentStatus,
});

describe("priority: the documented ladder", () => {
  it("orders statuses rule-available, detect-only, inactive, no-agent, no-tenant, no-rule, protected", () => {
    const statuses: CoverageStatus[] = [
      "protected",
      "no-rule",
      "no-tenant",
      "no-agent",
      "inactive",
      "detect-only",
      "rule-available",
    ];
    const ordered = prioritize(statuses.map((coverage) => row({ coverage })));
    expect(ordered.map((p) => p.row.coverage)).toEqual([...statuses].reverse());
    expect(ordered.map((p) => p.priority)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("within a status: exploit, then EPSS, then Inspector score, then severity, then the longest exposed", () => {
    const base = { coverage: "rule-available" as const };
    const exploit = row({ ...base, exploitAvailable: "YES", epssScore: 0.01 });
    const epssHigh = row({ ...base, exploitAvailable: "NO", epssScore: 0.9, inspectorScore: 1 });
    const epssLow = row({ ...base, epssScore: 0.2, inspectorScore: 9.8 });
    const scoreHigh = row({ ...base, inspectorScore: 9.1, severity: "LOW" });
    const scoreLow = row({ ...base, inspectorScore: 5, severity: "CRITICAL" });
    const critical = row({ ...base, severity: "CRITICAL", firstObservedAt: "2026-10-01T00:00:00Z" });
    const criticalOlder = row({ ...base, severity: "CRITICAL", firstObservedAt: "2026-09-01T00:00:00Z" });
    const criticalUnknownAge = row({ ...base, severity: "CRITICAL" });
    const high = row({ ...base, severity: "HIGH", firstObservedAt: "2020-01-01T00:00:00Z" });
    const shuffled = [
      high,
      criticalUnknownAge,
      scoreLow,
      epssLow,
      critical,
      exploit,
      scoreHigh,
      criticalOlder,
      epssHigh,
    ];
    expect(prioritize(shuffled).map((p) => p.row)).toEqual([
      exploit,
      epssHigh,
      epssLow,
      scoreHigh,
      scoreLow,
      criticalOlder,
      critical,
      criticalUnknownAge,
      high,
    ]);
  });

  it("is total: equal factors fall back to the row key", () => {
    const a = row({ coverage: "no-agent", instanceId: "i-a" });
    const b = row({ coverage: "no-agent", instanceId: "i-b", vulnerabilityId: a.vulnerabilityId });
    expect(comparePriority(a, b)).toBeLessThan(0);
    expect(comparePriority(b, a)).toBeGreaterThan(0);
  });

  it("days exposed: whole days from first observation to the run, undefined without one", () => {
    expect(daysExposed({ firstObservedAt: "2026-11-01T12:00:00Z" }, "2026-11-11T11:59:59Z")).toBe(9);
    expect(daysExposed({ firstObservedAt: "2026-11-01T12:00:00Z" }, "2026-11-11T12:00:00Z")).toBe(10);
    expect(daysExposed({}, "2026-11-11T12:00:00Z")).toBeUndefined();
  });
});

describe("KPIs and projected coverage", () => {
  const rows = [
    row({ coverage: "protected", exploitAvailable: "YES" }),
    row({ coverage: "protected" }),
    // assignable into prevent on a running agent: would be protected
    row({
      coverage: "rule-available",
      coveringRules: [rule(1)],
      computer: computer("prevent"),
      exploitAvailable: "YES",
    }),
    // only detect-only rules cover it: assignment gives detect-only
    row({ coverage: "rule-available", coveringRules: [rule(2, true)], computer: computer("prevent") }),
    // IPS in detect on the computer
    row({ coverage: "rule-available", coveringRules: [rule(3)], computer: computer("detect") }),
    // agent in error: inactive after assignment
    row({ coverage: "rule-available", coveringRules: [rule(4)], computer: computer("prevent", "error") }),
    row({ coverage: "no-agent", exploitAvailable: "YES" }),
    row({ coverage: "no-rule", exploitAvailable: "NO" }),
  ];

  it("counts unshielded-and-exploitable, shieldable now and what assignment would protect", () => {
    const kpis = computeKpis(rows);
    expect(kpis).toEqual({ rows: 8, protected: 2, unshieldedExploitable: 2, shieldableNow: 4, wouldProtect: 1 });
    expect(kpiCoveragePercent(kpis)).toBe(25);
    expect(projectedCoveragePercent(kpis)).toBe(37.5);
    expect(countCoverage(rows).coveragePercent).toBe(kpiCoveragePercent(kpis));
  });

  it("statusIfAssigned follows the coverage ladder", () => {
    expect(rows.slice(2, 6).map(statusIfAssigned)).toEqual(["protected", "detect-only", "detect-only", "inactive"]);
    expect(statusIfAssigned(rows[6] as CoverageRow)).toBe("no-agent");
  });

  it("empty: no percentages", () => {
    expect(projectedCoveragePercent(computeKpis([]))).toBeNull();
  });

  it("the organization's insights are the sums, and its top rows the best of every account's", () => {
    const other = rows.map((r) => ({ ...r, accountId: "222222222222", epssScore: 0.5 }));
    const merged = mergeInsights([accountInsights(rows), accountInsights(other)]);
    expect(merged.kpis).toEqual({
      rows: 16,
      protected: 4,
      unshieldedExploitable: 4,
      shieldableNow: 8,
      wouldProtect: 2,
    });
    expect(merged.top).toHaveLength(12);
    // Same status and exploit: the other account's copy has an EPSS score, so it comes first.
    expect(merged.top[0]).toMatchObject({
      accountId: "222222222222",
      coverage: "rule-available",
      exploitAvailable: "YES",
    });
    expect(merged.top[1]).toMatchObject({
      accountId: "111111111111",
      coverage: "rule-available",
      exploitAvailable: "YES",
    });
    expect(merged.top.every((t) => t.coverage !== "protected")).toBe(true);
  });
});

describe("time to shield", () => {
  const unit = { accountId: "111111111111", region: "us-east-1", instanceId: "i-1", vulnerabilityId: "cve-2024-0001" };
  const applied = (at: string, extra: Partial<AuditEvidence> = {}): AuditEvidence => ({
    action: "applied",
    change: "ips-rules",
    at,
    accountId: unit.accountId,
    instanceId: unit.instanceId,
    cves: ["CVE-2024-0001"],
    ...extra,
  });

  it("a row seen exposed, then protected: shielded by the earliest audited assignment in between", () => {
    const before = previousEvaluation("2026-11-04T12:00:00Z", [{ ...unit, coverage: "rule-available" }]);
    const now = [{ ...unit, vulnerabilityId: "CVE-2024-0001", coverage: "protected" as const }];
    expect(newlyShielded(now, before)).toHaveLength(1);
    const events = [
      applied("2026-11-06T10:00:00Z"),
      applied("2026-11-05T09:00:00Z"),
      applied("2026-11-04T11:00:00Z"), // before the previous evaluation: not this exposure
      applied("2026-11-05T08:00:00Z", { change: "recommendation-scan" }),
      applied("2026-11-05T07:00:00Z", { action: "planned" }),
      applied("2026-11-05T06:00:00Z", { action: "intent" }), // an intent is not an outcome
      applied("2026-11-06T09:00:00Z", { change: undefined }), // before change kinds: ips-rules, but later
    ];
    expect(shieldStates(now, before, "2026-11-11T12:00:00Z", events)).toEqual([
      { shieldedAt: "2026-11-05T09:00:00Z", shieldedBy: "assignment" },
    ]);
  });

  it("without an audited assignment the run that found it protected shielded it; the state is then kept", () => {
    const before = previousEvaluation("2026-11-04T12:00:00Z", [{ ...unit, coverage: "no-agent" }]);
    const now = [{ ...unit, coverage: "protected" as const }];
    const [state] = shieldStates(now, before, "2026-11-11T12:00:00Z", []);
    expect(state).toEqual({ shieldedAt: "2026-11-11T12:00:00Z", shieldedBy: "run" });
    const later = previousEvaluation("2026-11-11T12:00:00Z", [{ ...unit, coverage: "protected", ...state }]);
    // regressed a week later: still shielded first on the 11th
    expect(shieldStates([{ ...unit, coverage: "detect-only" }], later, "2026-11-18T12:00:00Z", [])).toEqual([state]);
  });

  it("protected when first evaluated, or still exposed: no shield state", () => {
    expect(shieldStates([{ ...unit, coverage: "protected" }], undefined, "2026-11-11T12:00:00Z", [])).toEqual([
      undefined,
    ]);
    const before = previousEvaluation("2026-11-04T12:00:00Z", [{ ...unit, coverage: "no-agent" }]);
    expect(shieldStates([{ ...unit, coverage: "no-agent" }], before, "2026-11-11T12:00:00Z", [])).toEqual([undefined]);
  });

  it("median and p90 (nearest rank) of shielded rows, ages of open rows at the instant asked", () => {
    const first = "2026-11-01T00:00:00Z";
    const shielded = [24, 48, 72, 96, 120, 144, 168, 192, 216, 240].map((hours) =>
      row({
        coverage: "protected",
        firstObservedAt: first,
        shieldedAt: new Date(Date.parse(first) + hours * 3_600_000).toISOString(),
      }),
    );
    const open = [
      row({ coverage: "no-agent", firstObservedAt: "2026-11-10T00:00:00Z" }),
      row({ coverage: "rule-available", firstObservedAt: "2026-11-05T00:00:00Z" }),
      row({ coverage: "no-rule", firstObservedAt: "2026-10-01T00:00:00Z" }),
    ];
    const insights = accountInsights([
      ...shielded,
      ...open,
      row({ coverage: "protected" }),
      row({ coverage: "no-rule" }),
    ]);
    expect(insights.shield.protectedOnArrival).toBe(1);
    expect(insights.shield.withoutFirstObservation).toBe(1);
    expect(shieldStats(insights.shield, "2026-11-11T00:00:00Z")).toEqual({
      shielded: 10,
      medianHours: 120,
      p90Hours: 216,
      open: 3,
      medianOpenHours: 144,
      p90OpenHours: 984,
      oldestOpenHours: 984,
      protectedOnArrival: 1,
    });
  });

  it("nearest-rank quantiles never interpolate", () => {
    expect(histogramQuantile({ "1": 1, "10": 1 }, 0.5)).toBe(1);
    expect(histogramQuantile({ "1": 1, "10": 1 }, 0.9)).toBe(10);
    expect(histogramQuantile({}, 0.5)).toBeUndefined();
  });
});

describe("trend", () => {
  const counts = (protectedRows: number, noAgent: number) =>
    countCoverage([
      ...Array.from({ length: protectedRows }, () => ({ coverage: "protected" as const, severity: "HIGH" as const })),
      ...Array.from({ length: noAgent }, () => ({ coverage: "no-agent" as const, severity: "HIGH" as const })),
    ]);

  it("the last N runs with counts, oldest first, with each status's share", () => {
    const sources = [
      { runId: "r3", startedAt: "2026-11-18T12:00:00Z", counts: counts(3, 1) },
      { runId: "r1", startedAt: "2026-11-04T12:00:00Z", counts: counts(1, 3) },
      { runId: "failed", startedAt: "2026-11-10T12:00:00Z" },
      { runId: "r2", startedAt: "2026-11-11T12:00:00Z", counts: counts(2, 2) },
      { runId: "r0", startedAt: "2026-10-28T12:00:00Z", counts: emptyCoverageCounts() },
    ];
    const series = trendSeries(sources, 3);
    expect(series.map((p) => [p.runId, p.coveragePercent])).toEqual([
      ["r1", 25],
      ["r2", 50],
      ["r3", 75],
    ]);
    expect(series.map((p) => statusPercent(p, "no-agent"))).toEqual([75, 50, 25]);
    expect(coverageChange(series)).toBe(50);
    expect(coverageChange(series.slice(0, 1))).toBeNull();
  });
});
