import {
  guardDutySeverity,
  isSeverity,
  macieSeverity,
  type Finding,
  type ParsedEvent,
  type SecuritySignal,
} from "@wshub/core";
import { z } from "zod";

/**
 * EventBridge events of GuardDuty, Macie and Inspector → one normalised signal (integrations-notes §1). The member
 * account is read from the finding body (`detail.accountId` / `detail.awsAccountId`), never from the envelope.
 * Anything of no known shape is a typed rejection, never an exception: one bad event must not fail a batch.
 */

const accountId = z.string().regex(/^\d{12}$/);
const envelope = z.object({
  source: z.string(),
  "detail-type": z.string(),
  region: z.string().optional(),
  detail: z.unknown(),
});

/** What GuardDuty's and Macie's finding bodies share: the member account comes from here, never the envelope. */
const findingBody = z.object({
  id: z.string().min(1),
  accountId,
  region: z.string().min(1),
  type: z.string().min(1),
  title: z.string().default(""),
});

const guardDutyDetail = findingBody.extend({
  severity: z.number(),
  updatedAt: z.string().min(1),
  resource: z
    .object({
      resourceType: z.string().optional(),
      instanceDetails: z.object({ instanceId: z.string().optional() }).optional(),
    })
    .optional(),
});

const macieDetail = findingBody.extend({
  severity: z.object({ description: z.string().optional() }).optional(),
  updatedAt: z.string().min(1),
  resourcesAffected: z.object({
    s3Bucket: z.object({
      name: z.string().min(3),
      arn: z.string().optional(),
      defaultServerSideEncryption: z
        .object({ encryptionType: z.string().optional(), kmsMasterKeyId: z.string().optional() })
        .optional(),
    }),
  }),
});

const inspectorDetail = z.object({
  findingArn: z.string().min(1),
  awsAccountId: accountId,
  type: z.enum(["PACKAGE_VULNERABILITY", "NETWORK_REACHABILITY", "CODE_VULNERABILITY"]),
  severity: z.string(),
  status: z.enum(["ACTIVE", "SUPPRESSED", "CLOSED"]),
  title: z.string().default(""),
  updatedAt: z.string().min(1),
  firstObservedAt: z.string().optional(),
  lastObservedAt: z.string().optional(),
  inspectorScore: z.number().optional(),
  fixAvailable: z.string().optional(),
  exploitAvailable: z.string().optional(),
  epss: z.object({ score: z.number().optional() }).optional(),
  resources: z
    .array(
      z.object({
        id: z.string().min(1),
        type: z.string(),
        region: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
  packageVulnerabilityDetails: z
    .object({
      vulnerabilityId: z.string().optional(),
      vulnerablePackages: z
        .array(
          z.object({
            name: z.string().optional(),
            version: z.string().optional(),
            fixedInVersion: z.string().optional(),
          }),
        )
        .default([]),
    })
    .optional(),
});

const PARSERS: Record<string, { detailType: string; parse: (detail: unknown, region: string) => SecuritySignal }> = {
  "aws.guardduty": { detailType: "GuardDuty Finding", parse: (d) => guardDutySignal(guardDutyDetail.parse(d)) },
  "aws.macie": { detailType: "Macie Finding", parse: (d) => macieSignal(macieDetail.parse(d)) },
  "aws.inspector2": { detailType: "Inspector2 Finding", parse: (d, r) => inspectorSignal(inspectorDetail.parse(d), r) },
};

export function parseSignalEvent(raw: unknown): ParsedEvent {
  const outer = envelope.safeParse(raw);
  if (!outer.success) return unknownShape("not an EventBridge event (source, detail-type and detail are required)");
  const parser = PARSERS[outer.data.source];
  if (!parser || parser.detailType !== outer.data["detail-type"])
    return unknownShape(`events of ${outer.data.source} / ${outer.data["detail-type"]} are not handled`);
  try {
    return { ok: true, signal: parser.parse(outer.data.detail, outer.data.region ?? "") };
  } catch (error) {
    const issues =
      error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) : [String(error)];
    return unknownShape(`${outer.data["detail-type"]} of an unknown shape: ${issues.slice(0, 3).join("; ")}`);
  }
}

function unknownShape(detail: string): ParsedEvent {
  return { ok: false, rejection: { reason: "unknown-shape", detail } };
}

/** The signal's fields that GuardDuty's and Macie's finding bodies give alike. */
function bodyFields(d: z.output<typeof findingBody> & { updatedAt: string }) {
  return {
    findingId: d.id,
    updatedAt: isoTime(d.updatedAt),
    accountId: d.accountId,
    region: d.region,
    type: d.type,
    title: d.title,
  };
}

function guardDutySignal(d: z.output<typeof guardDutyDetail>): SecuritySignal {
  const instanceId = d.resource?.resourceType === "Instance" ? d.resource.instanceDetails?.instanceId : undefined;
  return {
    source: "guardduty",
    ...bodyFields(d),
    severity: guardDutySeverity(d.severity),
    instanceIds: instanceId ? [instanceId] : [],
  };
}

function macieSignal(d: z.output<typeof macieDetail>): SecuritySignal {
  const s3 = d.resourcesAffected.s3Bucket;
  const kms = s3.defaultServerSideEncryption;
  return {
    source: "macie",
    ...bodyFields(d),
    severity: macieSeverity(d.severity?.description),
    instanceIds: [],
    bucket: {
      name: s3.name,
      arn: s3.arn ?? `arn:aws:s3:::${s3.name}`,
      ...(kms?.encryptionType === "aws:kms" && kms.kmsMasterKeyId ? { kmsKeyId: kms.kmsMasterKeyId } : {}),
    },
  };
}

function inspectorSignal(d: z.output<typeof inspectorDetail>, envelopeRegion: string): SecuritySignal {
  const finding = inspectorFinding(d, envelopeRegion);
  const instanceIds = finding.resourceType === "AWS_EC2_INSTANCE" ? [finding.resourceId] : [];
  return {
    source: "inspector",
    findingId: d.findingArn,
    updatedAt: finding.updatedAt,
    accountId: d.awsAccountId,
    region: finding.region,
    type: d.type,
    title: d.title,
    severity: finding.severity,
    instanceIds,
    ...(finding.vulnerabilityId ? { cve: finding.vulnerabilityId } : {}),
    finding,
  };
}

/** The finding as the weekly run stores it (the same fields inspector-mapping reads from the API). */
function inspectorFinding(d: z.output<typeof inspectorDetail>, envelopeRegion: string): Finding {
  const [resource] = d.resources;
  if (!resource) throw new Error("the finding names no resource");
  const region = resource.region ?? d.findingArn.split(":")[3] ?? envelopeRegion;
  const details = d.packageVulnerabilityDetails;
  const finding: Finding = {
    findingArn: d.findingArn,
    accountId: d.awsAccountId,
    region,
    type: d.type,
    resourceType: resource.type,
    resourceId: resource.id,
    severity: isSeverity(d.severity) ? d.severity : "UNTRIAGED",
    status: d.status,
    packages: (details?.vulnerablePackages ?? []).map((p) => ({
      name: p.name ?? "unknown",
      ...(p.version ? { version: p.version } : {}),
      ...(p.fixedInVersion ? { fixedInVersion: p.fixedInVersion } : {}),
    })),
    updatedAt: isoTime(d.updatedAt),
  };
  if (resource.tags?.["Name"]) finding.resourceName = resource.tags["Name"];
  if (details?.vulnerabilityId) finding.vulnerabilityId = details.vulnerabilityId;
  if (d.title) finding.title = d.title;
  if (d.inspectorScore !== undefined) finding.inspectorScore = d.inspectorScore;
  if (d.fixAvailable) finding.fixAvailable = d.fixAvailable;
  if (d.exploitAvailable) finding.exploitAvailable = d.exploitAvailable;
  if (d.epss?.score !== undefined) finding.epssScore = d.epss.score;
  if (d.firstObservedAt) finding.firstObservedAt = isoTime(d.firstObservedAt);
  if (d.lastObservedAt) finding.lastObservedAt = isoTime(d.lastObservedAt);
  return finding;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Inspector's events write `Wed Sep 04 17:00:36.951 UTC 2024`, not ISO 8601 (fixtures README). */
const INSPECTOR_TIME = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? UTC (\d{4})$/;

/** ISO 8601 in UTC from ISO or Inspector's event format; an unreadable time is an unknown shape. */
export function isoTime(value: string): string {
  const m = INSPECTOR_TIME.exec(value.trim());
  const text = m
    ? `${m[5]}-${String(MONTHS.indexOf(m[1] ?? "") + 1).padStart(2, "0")}-${m[2]}T${m[3]}${m[4] ?? ""}Z`
    : value;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`unreadable time "${value}"`);
  return new Date(time).toISOString();
}
