import type { CoveredResource, Finding as SdkFinding } from "@aws-sdk/client-inspector2";
import { isSeverity, type CoveredInstance, type Finding, type FindingStatus, type FindingType } from "@wshub/core";

/** SDK finding → wshub finding. The CVE comes from packageVulnerabilityDetails, never from the title. */
export function toFinding(sdk: SdkFinding, fallbackRegion: string): Finding | undefined {
  const resource = sdk.resources?.[0];
  if (!sdk.findingArn || !sdk.awsAccountId || !resource?.id) return undefined;
  const details = sdk.packageVulnerabilityDetails;
  const finding: Finding = {
    findingArn: sdk.findingArn,
    accountId: sdk.awsAccountId,
    region: resource.region ?? fallbackRegion,
    type: (sdk.type ?? "PACKAGE_VULNERABILITY") as FindingType,
    resourceType: resource.type ?? "AWS_EC2_INSTANCE",
    resourceId: resource.id,
    severity: sdk.severity && isSeverity(sdk.severity) ? sdk.severity : "UNTRIAGED",
    status: (sdk.status ?? "ACTIVE") as FindingStatus,
    packages: (details?.vulnerablePackages ?? []).map((p) => {
      const pkg: Finding["packages"][number] = { name: p.name ?? "unknown" };
      if (p.version) pkg.version = p.version;
      if (p.fixedInVersion) pkg.fixedInVersion = p.fixedInVersion;
      return pkg;
    }),
    updatedAt: iso(sdk.updatedAt) ?? iso(sdk.lastObservedAt) ?? new Date(0).toISOString(),
  };
  const name = resource.tags?.["Name"];
  if (name) finding.resourceName = name;
  if (details?.vulnerabilityId) finding.vulnerabilityId = details.vulnerabilityId;
  if (sdk.title) finding.title = sdk.title;
  if (sdk.inspectorScore !== undefined) finding.inspectorScore = sdk.inspectorScore;
  if (sdk.fixAvailable) finding.fixAvailable = sdk.fixAvailable;
  if (sdk.exploitAvailable) finding.exploitAvailable = sdk.exploitAvailable;
  if (typeof sdk.epss?.score === "number") finding.epssScore = sdk.epss.score;
  const first = iso(sdk.firstObservedAt);
  if (first) finding.firstObservedAt = first;
  const last = iso(sdk.lastObservedAt);
  if (last) finding.lastObservedAt = last;
  return finding;
}

export function toCoveredInstance(resource: CoveredResource, fallbackRegion: string): CoveredInstance | undefined {
  if (!resource.resourceId || !resource.accountId) return undefined;
  const instance: CoveredInstance = {
    accountId: resource.accountId,
    // Covered resources carry no region: it is the region of the client that listed them.
    region: fallbackRegion,
    instanceId: resource.resourceId,
  };
  const name = resource.resourceMetadata?.ec2?.tags?.["Name"];
  if (name) instance.name = name;
  if (resource.scanStatus?.statusCode) instance.scanStatus = resource.scanStatus.statusCode;
  if (resource.scanStatus?.reason) instance.scanStatusReason = resource.scanStatus.reason;
  return instance;
}

function iso(value: Date | undefined): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}
