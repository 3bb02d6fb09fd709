import { analyseBucketAccess, type RoleAccess } from "@wshub/core";
import type { StepRun } from "./react-steps.js";

/**
 * Macie: which roles may access the bucket (its policy and the roles' identity policies, from one
 * GetAccountAuthorizationDetails), which instances run with them; the analysis goes into the trail as one event.
 */
export async function macieInstances(step: StepRun, tenant: string): Promise<string[]> {
  const { signal } = step;
  const bucket = signal.bucket;
  if (!bucket) return [];
  const reader = step.deps.bucketAccess(signal.accountId, signal.region);
  const [roles, bucketPolicy] = await Promise.all([reader.roles(), reader.bucketPolicy(bucket.name)]);
  const access = analyseBucketAccess({
    bucket: { name: bucket.name, ownerAccountId: signal.accountId },
    bucketPolicy,
    roles,
  });
  const instanceIds = await reader.instancesWithProfiles(access.roles.flatMap((r) => r.instanceProfileArns));
  step.access = access.roles;
  await step.recorder.record([
    {
      action: "planned",
      change: "signal",
      changeId: `${step.recorder.run.runId}#access`,
      tenant,
      accountId: signal.accountId,
      region: signal.region,
      targetKind: "signal",
      targetId: signal.findingId,
      ruleIds: [],
      ruleIdentifiers: [],
      ruleNames: [],
      cves: [],
      findingArns: [],
      reason: `access analysis of bucket ${bucket.name}: ${access.roles.length} role(s) may access it, ${instanceIds.length} instance(s) run with them`,
      details: {
        bucket: bucket.name,
        roles: access.roles.map(accessLine),
        denied: access.denied,
        instances: instanceIds,
        ...(bucket.kmsKeyId ? { kmsKeyId: bucket.kmsKeyId } : {}),
      },
    },
  ]);
  return instanceIds;
}

/** `role app (can access via both: s3:GetObject s3:ListBucket)`, with conditions when "may". */
export function accessLine(role: RoleAccess): string {
  const conditions = role.conditions.length > 0 ? `; under conditions ${role.conditions.join(", ")}` : "";
  return `${role.roleArn} ${role.access === "can" ? "can" : "may"} access via ${role.via}: ${role.actions.join(" ")}${conditions}`;
}
