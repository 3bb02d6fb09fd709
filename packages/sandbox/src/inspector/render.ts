import { createHash } from "node:crypto";
import type { ScenarioFinding, ScenarioInstance } from "../scenario/types.js";
import { epochSeconds } from "./inventory.js";

/** A finding as ListFindings returns it (model `Finding`; timestamps in epoch seconds, as REST-JSON carries them). */
export function renderFinding(f: ScenarioFinding, instance: ScenarioInstance | undefined): Record<string, unknown> {
  const packageName = f.packageName ?? "unknown";
  const packageVersion = f.packageVersion ?? "0";
  const finding: Record<string, unknown> = {
    findingArn: f.findingArn,
    awsAccountId: f.accountId,
    type: f.type,
    title: f.title,
    description: `${f.vulnerabilityId} affects ${packageName} ${packageVersion}.`,
    remediation: { recommendation: { text: f.fixAvailable === "NO" ? "None Provided" : `Upgrade ${packageName}.` } },
    severity: f.severity,
    status: f.status,
    firstObservedAt: epochSeconds(f.firstObservedAt),
    lastObservedAt: epochSeconds(f.lastObservedAt),
    updatedAt: epochSeconds(f.updatedAt),
    resources: [renderResource(f, instance)],
  };
  if (f.inspectorScore !== undefined) finding["inspectorScore"] = f.inspectorScore;
  if (f.fixAvailable) finding["fixAvailable"] = f.fixAvailable;
  if (f.exploitAvailable) finding["exploitAvailable"] = f.exploitAvailable;
  if (f.epssScore !== undefined) finding["epss"] = { score: f.epssScore };
  if (f.type === "PACKAGE_VULNERABILITY")
    finding["packageVulnerabilityDetails"] = packageDetails(f, packageName, packageVersion);
  if (f.type === "NETWORK_REACHABILITY")
    finding["networkReachabilityDetails"] = {
      openPortRange: { begin: 22, end: 22 },
      protocol: "TCP",
      networkPath: {
        steps: [{ componentId: `igw-${hex(f.resourceId, 8)}`, componentType: "AWS::EC2::InternetGateway" }],
      },
    };
  if (f.type === "CODE_VULNERABILITY")
    finding["codeVulnerabilityDetails"] = {
      filePath: { fileName: "index.js", filePath: "src/index.js", startLine: 10, endLine: 12 },
      detectorId: "javascript/sql-injection@v1.0",
      detectorName: "SQL injection",
      cwes: ["CWE-89"],
    };
  return finding;
}

function packageDetails(f: ScenarioFinding, name: string, version: string): Record<string, unknown> {
  const score = f.inspectorScore ?? 5;
  const pkg: Record<string, unknown> = { name, version, packageManager: "OS", arch: "X86_64", epoch: 0 };
  if (f.fixAvailable !== "NO") pkg["fixedInVersion"] = `${version}.1`;
  return {
    vulnerabilityId: f.vulnerabilityId,
    source: f.vulnerabilityId.startsWith("GHSA")
      ? "GITHUB"
      : f.vulnerabilityId.startsWith("ALAS")
        ? "AMAZON_CVE"
        : "NVD",
    vulnerablePackages: [pkg],
    cvss: [
      {
        baseScore: score,
        scoringVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        version: "3.1",
        source: "NVD",
      },
    ],
    referenceUrls: [`https://nvd.nist.gov/vuln/detail/${f.vulnerabilityId}`],
    vendorSeverity: f.severity,
  };
}

function renderResource(f: ScenarioFinding, instance: ScenarioInstance | undefined): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    type: f.resourceType,
    id: f.resourceId,
    partition: "aws",
    region: f.region,
  };
  if (f.resourceType === "AWS_EC2_INSTANCE") {
    resource["tags"] = instanceTags(instance);
    resource["details"] = {
      awsEc2Instance: {
        type: "t3.medium",
        imageId: `ami-${hex(f.resourceId, 17)}`,
        platform: "AMAZON_LINUX_2023",
        vpcId: `vpc-${hex(f.accountId, 8)}`,
        subnetId: `subnet-${hex(f.accountId + f.region, 8)}`,
        ...(instance?.instanceProfileRoleName
          ? {
              iamInstanceProfileArn: `arn:aws:iam::${f.accountId}:instance-profile/${instance.instanceProfileRoleName}`,
            }
          : {}),
      },
    };
  } else if (f.resourceType === "AWS_ECR_CONTAINER_IMAGE") {
    resource["details"] = {
      awsEcrContainerImage: {
        repositoryName: repositoryOf(f.resourceId),
        imageHash: `sha256:${hex(f.resourceId, 64)}`,
        registry: f.accountId,
      },
    };
  } else if (f.resourceType === "AWS_LAMBDA_FUNCTION") {
    resource["details"] = {
      awsLambdaFunction: {
        functionName: f.resourceId.split(":").pop(),
        runtime: "NODEJS_20_X",
        codeSha256: hex(f.resourceId, 44),
        version: "$LATEST",
        executionRoleArn: `arn:aws:iam::${f.accountId}:role/lambda`,
      },
    };
  }
  return resource;
}

export function instanceTags(instance: ScenarioInstance | undefined): Record<string, string> {
  if (!instance) return {};
  return instance.name !== undefined && instance.tags["Name"] === undefined
    ? { Name: instance.name, ...instance.tags }
    : { ...instance.tags };
}

function repositoryOf(resourceId: string): string {
  const match = /repository\/([^/]+)/.exec(resourceId);
  return match?.[1] ?? "repository";
}

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}
