export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Rank for "highest severity wins". UNTRIAGED means Inspector has no vendor score yet; it ranks below
 * INFORMATIONAL so a triaged severity always wins over it.
 */
const RANK: Record<Severity, number> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, INFORMATIONAL: 1, UNTRIAGED: 0 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
