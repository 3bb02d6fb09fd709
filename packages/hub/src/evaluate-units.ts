import {
  addFindingToCounts,
  emptyFindingCounts,
  groupCoverageUnits,
  type AccountCoverage,
  type CoverageRow,
  type CoverageUnit,
  type CoveredInstance,
  type Finding,
  type FindingCounts,
  type TenantIndex,
} from "@wshub/core";
import type { HubContext } from "./context.js";

/**
 * The account's coverage units and finding counts. When its stored findings have not changed since the previous
 * evaluation (given), the units are taken from that coverage instead of re-reading every finding.
 */
export async function unitsOf(
  ctx: HubContext,
  accountId: string,
  previous: AccountCoverage | undefined,
): Promise<{ units: CoverageUnit[]; findingCounts: FindingCounts }> {
  if (previous) return { units: previous.rows.map(unitOf), findingCounts: previous.findingCounts };
  const findings: Finding[] = [];
  const findingCounts = emptyFindingCounts();
  for await (const page of ctx.findings.findingsOf(accountId)) {
    for (const finding of page) {
      addFindingToCounts(findingCounts, finding);
      findings.push(finding);
    }
  }
  return { units: groupCoverageUnits(findings), findingCounts };
}

export function unitOf(row: CoverageRow): CoverageUnit {
  const unit: CoverageUnit = {
    accountId: row.accountId,
    region: row.region,
    instanceId: row.instanceId,
    vulnerabilityId: row.vulnerabilityId,
    severity: row.severity,
    packages: row.packages,
    findingArns: row.findingArns,
  };
  for (const key of [
    "instanceName",
    "inspectorScore",
    "fixAvailable",
    "exploitAvailable",
    "epssScore",
    "firstObservedAt",
  ] as const) {
    if (row[key] !== undefined) (unit as unknown as Record<string, unknown>)[key] = row[key];
  }
  return unit;
}

/** Instances with no Workload Security computer: Inspector's covered EC2 instances plus any seen only in findings. */
export function instancesWithoutAgent(
  instances: CoveredInstance[],
  rows: CoverageRow[],
  index: TenantIndex | null,
): CoveredInstance[] {
  const result = new Map<string, CoveredInstance>();
  for (const instance of instances) {
    if (!index?.computersByInstance.has(instance.instanceId)) result.set(instance.instanceId, instance);
  }
  for (const row of rows) {
    if ((row.coverage === "no-agent" || row.coverage === "no-tenant") && !result.has(row.instanceId)) {
      const instance: CoveredInstance = { accountId: row.accountId, region: row.region, instanceId: row.instanceId };
      if (row.instanceName) instance.name = row.instanceName;
      result.set(row.instanceId, instance);
    }
  }
  return [...result.values()].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
}
