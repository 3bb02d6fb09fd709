import { createHash } from "node:crypto";
import type { ScenarioFinding, ScenarioInstance, Severity } from "../scenario/types.js";
import type { Random } from "./random.js";
import { nonCveId, packageFor, type VulnerabilityUniverse } from "./vulnerabilities.js";

const SEVERITY: { severity: Severity; upTo: number }[] = [
  { severity: "CRITICAL", upTo: 0.05 },
  { severity: "HIGH", upTo: 0.3 },
  { severity: "MEDIUM", upTo: 0.75 },
  { severity: "LOW", upTo: 0.95 },
  { severity: "INFORMATIONAL", upTo: 0.99 },
  { severity: "UNTRIAGED", upTo: 1 },
];

const DAY = 86_400_000;

/**
 * One account's findings: mostly active package vulnerabilities on its EC2 instances, the same CVE in several packages
 * now and then, suppressed and closed ones, network-reachability findings, ECR image and Lambda findings, and non-CVE
 * ids. Timestamps are relative to a fixed base date, so the output depends on the seed only.
 */
export function accountFindings(
  random: Random,
  account: { id: string; region: string },
  count: number,
  instances: ScenarioInstance[],
  vulnerabilities: VulnerabilityUniverse,
  baseDate: number,
  arnCounter: { next: number },
): ScenarioFinding[] {
  const findings: ScenarioFinding[] = [];
  let previous: ScenarioFinding | undefined;
  while (findings.length < count) {
    const roll = random.float();
    const resource = roll < 0.05 ? "AWS_ECR_CONTAINER_IMAGE" : roll < 0.07 ? "AWS_LAMBDA_FUNCTION" : "AWS_EC2_INSTANCE";
    const duplicate = previous !== undefined && resource === "AWS_EC2_INSTANCE" && random.chance(0.05);
    const finding = duplicate
      ? variantOf(previous as ScenarioFinding, random)
      : fresh(random, account, resource, instances, vulnerabilities, baseDate);
    finding.findingArn = `arn:aws:inspector2:${account.region}:${account.id}:finding/${(arnCounter.next++).toString(16).padStart(32, "0")}`;
    findings.push(finding);
    previous = finding;
  }
  return findings;
}

function fresh(
  random: Random,
  account: { id: string; region: string },
  resourceType: ScenarioFinding["resourceType"],
  instances: ScenarioInstance[],
  vulnerabilities: VulnerabilityUniverse,
  baseDate: number,
): ScenarioFinding {
  const updated = baseDate - random.int(0, 28) * DAY - random.int(0, 86_399) * 1000;
  const first = updated - random.int(0, 90) * DAY;
  const type: ScenarioFinding["type"] =
    resourceType === "AWS_LAMBDA_FUNCTION" && random.chance(0.3)
      ? "CODE_VULNERABILITY"
      : resourceType === "AWS_EC2_INSTANCE" && random.chance(0.02)
        ? "NETWORK_REACHABILITY"
        : "PACKAGE_VULNERABILITY";
  const vulnerabilityId =
    type === "PACKAGE_VULNERABILITY"
      ? random.chance(0.05)
        ? nonCveId(random)
        : random.weighted(vulnerabilities.cves, vulnerabilities.cumulative)
      : type === "CODE_VULNERABILITY"
        ? "CWE-89"
        : "NETWORK-REACHABILITY";
  const packageName = packageFor(vulnerabilityId);
  const statusRoll = random.float();
  const roll = random.float();
  return {
    findingArn: "",
    accountId: account.id,
    region: account.region,
    type,
    resourceType,
    resourceId: resourceId(random, account, resourceType, instances),
    vulnerabilityId,
    title: `${vulnerabilityId} - ${packageName}`,
    packageName,
    packageVersion: `${random.int(1, 9)}.${random.int(0, 20)}.${random.int(0, 9)}`,
    severity: (SEVERITY.find((s) => roll < s.upTo) as (typeof SEVERITY)[number]).severity,
    status: statusRoll < 0.9 ? "ACTIVE" : statusRoll < 0.94 ? "SUPPRESSED" : "CLOSED",
    inspectorScore: Math.round(random.float() * 100) / 10,
    fixAvailable: random.chance(0.8) ? "YES" : random.chance(0.5) ? "NO" : "PARTIAL",
    exploitAvailable: random.chance(0.1) ? "YES" : "NO",
    ...epssOf(vulnerabilityId),
    firstObservedAt: new Date(first).toISOString(),
    lastObservedAt: new Date(updated).toISOString(),
    updatedAt: new Date(updated).toISOString(),
  };
}

/**
 * EPSS is a property of the CVE, so it is derived from the id (not drawn: the seeded stream, and with it every other
 * generated value, stays as it was). Skewed low like FIRST's scores; other ids have none, as in Inspector.
 */
function epssOf(vulnerabilityId: string): Pick<ScenarioFinding, "epssScore"> {
  if (!vulnerabilityId.startsWith("CVE-")) return {};
  const unit = createHash("sha256").update(vulnerabilityId).digest().readUInt32BE(0) / 2 ** 32;
  return { epssScore: Math.round(unit ** 4 * 100_000) / 100_000 };
}

/** The same vulnerability on the same instance in another package: two findings, one coverage unit. */
function variantOf(previous: ScenarioFinding, random: Random): ScenarioFinding {
  const packageName = packageFor(previous.vulnerabilityId, random.int(1, 5));
  return { ...previous, packageName, title: `${previous.vulnerabilityId} - ${packageName}` };
}

function resourceId(
  random: Random,
  account: { id: string; region: string },
  type: ScenarioFinding["resourceType"],
  instances: ScenarioInstance[],
): string {
  if (type === "AWS_EC2_INSTANCE") return (random.pick(instances) as ScenarioInstance).instanceId;
  if (type === "AWS_ECR_CONTAINER_IMAGE")
    return `arn:aws:ecr:${account.region}:${account.id}:repository/app-${random.int(1, 5)}/sha256:${random.hex(16)}`;
  return `arn:aws:lambda:${account.region}:${account.id}:function:fn-${random.int(1, 8)}`;
}
