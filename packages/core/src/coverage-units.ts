import type { CoverageUnit } from "./coverage.js";
import type { Finding } from "./finding.js";
import { isCoverageFinding } from "./finding.js";
import { maxSeverity } from "./severity.js";
import { normalizeVulnerabilityId } from "./vulnerability-id.js";

/** Group findings into coverage units; several packages with the same vulnerability on an instance are one unit. */
export function groupCoverageUnits(findings: Iterable<Finding>): CoverageUnit[] {
  const units = new Map<string, CoverageUnit>();
  for (const finding of findings) {
    if (!isCoverageFinding(finding)) continue;
    const vulnerabilityId = (finding.vulnerabilityId as string).trim();
    const key = [finding.accountId, finding.region, finding.resourceId, normalizeVulnerabilityId(vulnerabilityId)].join(
      "|",
    );
    const existing = units.get(key);
    if (existing) mergeIntoUnit(existing, finding);
    else units.set(key, newUnit(finding, vulnerabilityId));
  }
  return [...units.values()].sort(compareUnits);
}

function newUnit(finding: Finding, vulnerabilityId: string): CoverageUnit {
  const unit: CoverageUnit = {
    accountId: finding.accountId,
    region: finding.region,
    instanceId: finding.resourceId,
    vulnerabilityId,
    severity: finding.severity,
    packages: [],
    findingArns: [],
  };
  if (finding.resourceName !== undefined) unit.instanceName = finding.resourceName;
  mergeIntoUnit(unit, finding);
  return unit;
}

function mergeIntoUnit(unit: CoverageUnit, finding: Finding): void {
  unit.severity = maxSeverity(unit.severity, finding.severity);
  unit.findingArns.push(finding.findingArn);
  for (const pkg of finding.packages) {
    const label = pkg.version ? `${pkg.name} ${pkg.version}` : pkg.name;
    if (!unit.packages.includes(label)) unit.packages.push(label);
  }
  if (unit.instanceName === undefined && finding.resourceName !== undefined) unit.instanceName = finding.resourceName;
  if (finding.inspectorScore !== undefined)
    unit.inspectorScore = Math.max(unit.inspectorScore ?? 0, finding.inspectorScore);
  if (finding.fixAvailable !== undefined && unit.fixAvailable !== "YES") unit.fixAvailable = finding.fixAvailable;
  if (finding.exploitAvailable !== undefined && unit.exploitAvailable !== "YES")
    unit.exploitAvailable = finding.exploitAvailable;
  if (finding.epssScore !== undefined) unit.epssScore = Math.max(unit.epssScore ?? 0, finding.epssScore);
  if (finding.firstObservedAt && (!unit.firstObservedAt || finding.firstObservedAt < unit.firstObservedAt))
    unit.firstObservedAt = finding.firstObservedAt;
}

export function compareUnits(
  a: Pick<CoverageUnit, "accountId" | "region" | "instanceId" | "vulnerabilityId">,
  b: typeof a,
): number {
  return (
    cmp(a.accountId, b.accountId) ||
    cmp(a.region, b.region) ||
    cmp(a.instanceId, b.instanceId) ||
    cmp(a.vulnerabilityId, b.vulnerabilityId)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
