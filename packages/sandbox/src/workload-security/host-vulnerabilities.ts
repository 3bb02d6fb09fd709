import { normalizeVulnerabilityId } from "@wshub/core";
import type { ScenarioFinding } from "../scenario/types.js";
import type { HostVulnerabilities } from "./model.js";

/**
 * What each EC2 instance is vulnerable to, from the scenario's package findings: the stand-in for the software an
 * agent's recommendation scan would inventory. Closed findings are fixed software and do not count; suppressed ones do
 * (suppressing a finding in Inspector does not remove the package).
 */
export function hostVulnerabilitiesOf(findings: readonly ScenarioFinding[]): HostVulnerabilities {
  const byInstance = new Map<string, Set<string>>();
  for (const finding of findings) {
    if (finding.resourceType !== "AWS_EC2_INSTANCE" || finding.type !== "PACKAGE_VULNERABILITY") continue;
    if (finding.status === "CLOSED") continue;
    const present = byInstance.get(finding.resourceId) ?? new Set<string>();
    present.add(normalizeVulnerabilityId(finding.vulnerabilityId));
    byInstance.set(finding.resourceId, present);
  }
  return byInstance;
}
