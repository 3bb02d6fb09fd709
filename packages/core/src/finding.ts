import { digest } from "./fingerprint.js";
import type { Severity } from "./severity.js";

export type FindingStatus = "ACTIVE" | "SUPPRESSED" | "CLOSED";
export type FindingType = "PACKAGE_VULNERABILITY" | "NETWORK_REACHABILITY" | "CODE_VULNERABILITY";
export type ResourceType = "AWS_EC2_INSTANCE" | "AWS_ECR_CONTAINER_IMAGE" | "AWS_LAMBDA_FUNCTION" | (string & {});

export interface VulnerablePackage {
  name: string;
  version?: string;
  fixedInVersion?: string;
}

/** An Amazon Inspector finding, normalised: what wshub stores and evaluates. Timestamps are ISO 8601. */
export interface Finding {
  findingArn: string;
  accountId: string;
  region: string;
  type: FindingType;
  resourceType: ResourceType;
  resourceId: string;
  /** The resource's Name tag when Inspector reports it. */
  resourceName?: string;
  /** `packageVulnerabilityDetails.vulnerabilityId`, never parsed from the title. */
  vulnerabilityId?: string;
  title?: string;
  severity: Severity;
  status: FindingStatus;
  packages: VulnerablePackage[];
  inspectorScore?: number;
  fixAvailable?: string;
  exploitAvailable?: string;
  /** Inspector's `epss.score`: the probability (0–1) that the CVE is exploited in the next 30 days (FIRST EPSS). */
  epssScore?: number;
  firstObservedAt?: string;
  lastObservedAt?: string;
  updatedAt: string;
}

/** The findings that make coverage rows (coverage.md, "The unit of coverage"). */
export function isCoverageFinding(finding: Finding): boolean {
  return (
    finding.status === "ACTIVE" &&
    finding.type === "PACKAGE_VULNERABILITY" &&
    finding.resourceType === "AWS_EC2_INSTANCE" &&
    typeof finding.vulnerabilityId === "string" &&
    finding.vulnerabilityId.trim() !== ""
  );
}

/**
 * An EC2 instance of an account (it may have no findings at all): from EC2 itself in member-role mode (with its
 * `state`), from Inspector's coverage in delegated-administrator mode (with its `scanStatus`).
 */
export interface CoveredInstance {
  accountId: string;
  region: string;
  instanceId: string;
  name?: string;
  /** EC2 instance state (`running`, `stopped`, ...). */
  state?: string;
  /** Inspector's scan status for the instance. */
  scanStatus?: string;
  scanStatusReason?: string;
}

/**
 * Stable digest of what matters in a finding, to skip re-writing unchanged ones. Field order is fixed so
 * the digest does not depend on how the source built the object.
 */
export function findingFingerprint(finding: Finding): string {
  const parts = [
    finding.status,
    finding.severity,
    finding.updatedAt,
    finding.lastObservedAt ?? "",
    finding.vulnerabilityId ?? "",
    finding.resourceId,
    finding.resourceName ?? "",
    finding.inspectorScore ?? "",
    finding.fixAvailable ?? "",
    finding.exploitAvailable ?? "",
    finding.packages.map((p) => `${p.name}@${p.version ?? ""}>${p.fixedInVersion ?? ""}`).join(","),
    // Appended only when present, so the digests of findings stored before EPSS was read stay the same.
    ...(finding.epssScore !== undefined ? [finding.epssScore] : []),
  ];
  return digest(parts.join("\u001f"));
}
