import {
  FIX_FOR_STATUS,
  COVERAGE_STATUSES,
  SEVERITIES,
  type AccountCoverage,
  type ComputerRef,
  type CoverageRow,
  type RuleRef,
} from "@wshub/core";

/**
 * A compact stored form of an account's coverage: rules and computers once per account, rows as arrays of indexes,
 * notes kept only when they are not the usual one for their status, and the fix derived from the status. About a
 * third of the plain JSON, so storing and reading a large organization's coverage costs a third of the time.
 */
interface CompactCoverage {
  v: 1;
  head: Omit<AccountCoverage, "rows">;
  rules: RuleRef[];
  computers: ComputerRef[];
  notes: string[];
  /**
   * [region, instanceId, instanceName, vulnerabilityId, severity, status, rules, effective, computer, note, packages,
   *  arns, score, fix, exploit, first, epss, shieldedAt, shieldedBy]; rows stored before a field existed are shorter.
   */
  rows: unknown[][];
}

export function encodeCoverage(coverage: AccountCoverage): CompactCoverage {
  const { rows, ...head } = coverage;
  const rules = new Interner<RuleRef>(
    (r) => `${r.id}|${r.identifier}|${r.detectOnly}|${r.severity ?? ""}|${r.cvssScore ?? ""}|${r.name}`,
  );
  const computers = new Interner<ComputerRef>((c) => `${c.id}|${c.policyId}|${c.agentStatus}|${c.ipsState}|${c.name}`);
  const notes = new Interner<string>((n) => n);
  const encoded = rows.map((row) => [
    row.region,
    row.instanceId,
    row.instanceName ?? null,
    row.vulnerabilityId,
    SEVERITIES.indexOf(row.severity),
    COVERAGE_STATUSES.indexOf(row.coverage),
    row.coveringRules.map((r) => rules.add(r)),
    row.effectiveRuleIds,
    row.computer ? computers.add(row.computer) : -1,
    notes.add(row.note),
    row.packages,
    row.findingArns,
    row.inspectorScore ?? null,
    row.fixAvailable ?? null,
    row.exploitAvailable ?? null,
    row.firstObservedAt ?? null,
    row.epssScore ?? null,
    row.shieldedAt ?? null,
    row.shieldedBy ?? null,
  ]);
  return { v: 1, head, rules: rules.values, computers: computers.values, notes: notes.values, rows: encoded };
}

export function decodeCoverage(compact: CompactCoverage): AccountCoverage {
  const { head } = compact;
  const rows = compact.rows.map((r): CoverageRow => {
    const coverage = COVERAGE_STATUSES[r[5] as number] as CoverageRow["coverage"];
    const row: CoverageRow = {
      accountId: head.accountId,
      accountName: head.accountName,
      region: r[0] as string,
      instanceId: r[1] as string,
      vulnerabilityId: r[3] as string,
      severity: SEVERITIES[r[4] as number] as CoverageRow["severity"],
      packages: r[10] as string[],
      findingArns: r[11] as string[],
      tenant: head.tenant,
      coverage,
      coveringRules: (r[6] as number[]).map((i) => compact.rules[i] as RuleRef),
      effectiveRuleIds: r[7] as number[],
      note: compact.notes[r[9] as number] as string,
      fix: FIX_FOR_STATUS[coverage],
    };
    if (r[2] !== null) row.instanceName = r[2] as string;
    if ((r[8] as number) >= 0) row.computer = compact.computers[r[8] as number] as ComputerRef;
    if (r[12] !== null) row.inspectorScore = r[12] as number;
    if (r[13] !== null) row.fixAvailable = r[13] as string;
    if (r[14] !== null) row.exploitAvailable = r[14] as string;
    if (r[15] !== null) row.firstObservedAt = r[15] as string;
    if (r[16] != null) row.epssScore = r[16] as number;
    if (r[17] != null) row.shieldedAt = r[17] as string;
    if (r[18] != null) row.shieldedBy = r[18] as CoverageRow["shieldedBy"];
    return row;
  });
  return { ...head, rows };
}

export function isCompactCoverage(value: unknown): value is CompactCoverage {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { v?: unknown }).v === 1 &&
    Array.isArray((value as { rows?: unknown }).rows)
  );
}

class Interner<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly key: (value: T) => string) {}

  add(value: T): number {
    const k = this.key(value);
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(k, i);
    }
    return i;
  }
}
