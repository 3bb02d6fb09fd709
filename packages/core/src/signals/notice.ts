import type { SecuritySignal } from "./signal.js";
import { UNPROTECTED_FIX, type Unprotection } from "./reaction-plan.js";

export interface UnprotectedInstance {
  instanceId: string;
  reason: Unprotection;
  detail: string;
}

export interface NoticeText {
  subject: string;
  text: string;
}

const SOURCE_NAMES = { guardduty: "GuardDuty", macie: "Macie", inspector: "Inspector" } as const;

/** The "not protected" notice: which instances, which finding, what to do (integrations-notes §1; the retired sample's Slack text, done properly). */
export function unprotectedNotice(input: {
  signal: SecuritySignal;
  accountName: string;
  instances: UnprotectedInstance[];
  /** Macie: the roles that may access the bucket, with how. */
  accessLines?: string[];
}): NoticeText {
  const { signal } = input;
  const source = SOURCE_NAMES[signal.source];
  const count = input.instances.length;
  const subject = `[wshub] ${source} ${signal.severity} finding: ${count} instance(s) not protected by Workload Security in ${signal.accountId}`;
  const lines = [
    `${source} raised a ${signal.severity} finding in account ${signal.accountId} (${input.accountName}), region ${signal.region}.`,
    "",
    `Finding: ${signal.title || signal.type}`,
    `Type: ${signal.type}`,
    `Finding id: ${signal.findingId}`,
    `Updated: ${signal.updatedAt}`,
    ...(signal.bucket ? [`Bucket: ${signal.bucket.name}`] : []),
    ...(signal.cve ? [`Vulnerability: ${signal.cve}`] : []),
    "",
    "Not protected by Workload Security:",
    ...input.instances.map((i) => `  - ${i.instanceId}: ${i.detail}. What to do: ${UNPROTECTED_FIX[i.reason]}.`),
    ...(input.accessLines && input.accessLines.length > 0
      ? ["", "Roles that may access the bucket:", ...input.accessLines.map((l) => `  - ${l}`)]
      : []),
    "",
    `What wshub did because of this finding: wshub audit --finding '${signal.findingId}'`,
  ];
  return { subject, text: lines.join("\n") };
}
