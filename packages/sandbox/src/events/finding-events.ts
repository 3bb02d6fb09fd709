import { createHash } from "node:crypto";

/**
 * The finding events the sandbox puts on the hub bus, in the shapes AWS publishes (integrations notes §1 and the
 * fixtures in ../shared/fixtures/aws): one finding per event, the member account in `detail`, `resources: []` for
 * GuardDuty. Only the fields a reader of the event uses are filled; ids are stable for the same input.
 */
export type FindingSpec = GuardDutySpec | MacieSpec | InspectorSpec;

interface Common {
  /** The member account the finding is about (in the body, never taken from the envelope). */
  accountId: string;
  region: string;
  /** ISO time of this revision of the finding (default: now). */
  updatedAt?: string;
  /** The finding's id (default: derived from the rest, so the same spec is the same finding). */
  findingId?: string;
}

export interface GuardDutySpec extends Common {
  kind: "guardduty";
  instanceId: string;
  /** e.g. "Recon:EC2/PortProbeUnprotectedPort" (default), "CryptoCurrency:EC2/BitcoinTool.B!DNS". */
  type?: string;
  severity?: number;
  /** The instance's profile, as GuardDuty reports it. */
  instanceProfileArn?: string;
}

export interface MacieSpec extends Common {
  kind: "macie";
  bucket: string;
  /** e.g. "Policy:IAMUser/S3BucketPublic" (default), "SensitiveData:S3Object/Personal". */
  type?: string;
}

export interface InspectorSpec extends Common {
  kind: "inspector";
  instanceId: string;
  cve: string;
  status?: "ACTIVE" | "SUPPRESSED" | "CLOSED";
  severity?: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  packageName?: string;
}

/** What PutEvents takes for one event (the envelope's account, id and time are EventBridge's). */
export interface EventEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time?: string;
}

export interface BuiltEvent {
  entry: EventEntry;
  source: string;
  findingId: string;
  updatedAt: string;
}

export function buildFindingEvent(spec: FindingSpec, now: Date = new Date()): BuiltEvent {
  const updatedAt = spec.updatedAt ?? now.toISOString();
  if (spec.kind === "guardduty") return guardDuty(spec, updatedAt);
  if (spec.kind === "macie") return macie(spec, updatedAt);
  return inspector(spec, updatedAt);
}

function stableId(parts: string[], length = 32): string {
  return createHash("sha256").update(parts.join("|")).digest("hex").slice(0, length);
}

function guardDuty(spec: GuardDutySpec, updatedAt: string): BuiltEvent {
  const type = spec.type ?? "Recon:EC2/PortProbeUnprotectedPort";
  const id = spec.findingId ?? stableId(["guardduty", spec.accountId, spec.region, spec.instanceId, type]);
  const detail = {
    schemaVersion: "2.0",
    accountId: spec.accountId,
    region: spec.region,
    partition: "aws",
    id,
    arn: `arn:aws:guardduty:${spec.region}:${spec.accountId}:detector/sandbox/finding/${id}`,
    type,
    resource: {
      resourceType: "Instance",
      instanceDetails: {
        instanceId: spec.instanceId,
        instanceState: "running",
        instanceType: "t3.micro",
        ...(spec.instanceProfileArn
          ? { iamInstanceProfile: { arn: spec.instanceProfileArn, id: "AIPA0SANDBOX" } }
          : {}),
        networkInterfaces: [],
        tags: [],
      },
    },
    service: {
      serviceName: "guardduty",
      detectorId: "sandbox",
      archived: false,
      count: 1,
      eventFirstSeen: updatedAt,
      eventLastSeen: updatedAt,
      resourceRole: "TARGET",
    },
    severity: spec.severity ?? 5,
    createdAt: updatedAt,
    updatedAt,
    title: `${type} on ${spec.instanceId}`,
    description: `EC2 instance ${spec.instanceId} is the subject of ${type}.`,
  };
  return entry("aws.guardduty", "GuardDuty Finding", detail, [], id, updatedAt);
}

function macie(spec: MacieSpec, updatedAt: string): BuiltEvent {
  const type = spec.type ?? "Policy:IAMUser/S3BucketPublic";
  const id = spec.findingId ?? stableId(["macie", spec.accountId, spec.region, spec.bucket, type]);
  const detail = {
    schemaVersion: "1.0",
    id,
    accountId: spec.accountId,
    partition: "aws",
    region: spec.region,
    type,
    category: type.startsWith("Policy:") ? "POLICY" : "CLASSIFICATION",
    title: `${type} on ${spec.bucket}`,
    description: `The S3 bucket ${spec.bucket} is the subject of ${type}.`,
    severity: { score: 2, description: "Medium" },
    createdAt: updatedAt,
    updatedAt,
    count: 1,
    archived: false,
    resourcesAffected: {
      s3Bucket: {
        arn: `arn:aws:s3:::${spec.bucket}`,
        name: spec.bucket,
        owner: { id: stableId(["owner", spec.accountId], 64) },
        publicAccess: { effectivePermission: "NOT_PUBLIC" },
        tags: [],
      },
    },
  };
  return entry("aws.macie", "Macie Finding", detail, [], id, updatedAt);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Inspector's event uses its own, non-ISO time format ("Wed Sep 04 16:59:44.356 UTC 2024"), as in the fixture. */
export function inspectorTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const ms = String(d.getUTCMilliseconds()).padStart(3, "0");
  const date = `${DAYS[d.getUTCDay()] ?? ""} ${MONTHS[d.getUTCMonth()] ?? ""} ${two(d.getUTCDate())}`;
  return `${date} ${time}.${ms} UTC ${d.getUTCFullYear()}`;
}

function inspector(spec: InspectorSpec, updatedAt: string): BuiltEvent {
  const hex = stableId(["inspector", spec.accountId, spec.region, spec.instanceId, spec.cve]);
  const findingArn = spec.findingId ?? `arn:aws:inspector2:${spec.region}:${spec.accountId}:finding/${hex}`;
  const at = inspectorTime(updatedAt);
  const detail = {
    awsAccountId: spec.accountId,
    findingArn,
    description: `${spec.cve} in ${spec.packageName ?? "a package"}.`,
    title: `${spec.cve} - ${spec.packageName ?? "package"}`,
    type: "PACKAGE_VULNERABILITY",
    severity: spec.severity ?? "HIGH",
    status: spec.status ?? "ACTIVE",
    firstObservedAt: at,
    lastObservedAt: at,
    updatedAt: at,
    fixAvailable: "YES",
    exploitAvailable: "NO",
    packageVulnerabilityDetails: {
      vulnerabilityId: spec.cve,
      source: "NVD",
      vulnerablePackages: [{ name: spec.packageName ?? "package", version: "1.0.0", packageManager: "OS" }],
    },
    resources: [
      {
        id: spec.instanceId,
        type: "AWS_EC2_INSTANCE",
        partition: "aws",
        region: spec.region,
        details: { awsEc2Instance: { type: "t3.micro", platform: "AMAZON_LINUX_2" } },
      },
    ],
  };
  return entry("aws.inspector2", "Inspector2 Finding", detail, [spec.instanceId], findingArn, updatedAt);
}

function entry(
  source: string,
  detailType: string,
  detail: object,
  resources: string[],
  findingId: string,
  updatedAt: string,
): BuiltEvent {
  return {
    entry: { Source: source, DetailType: detailType, Detail: JSON.stringify(detail), Resources: resources },
    source,
    findingId,
    updatedAt,
  };
}
