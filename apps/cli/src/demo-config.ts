import type { HubConfigInput } from "@wshub/core";
import type { SandboxInfo } from "@wshub/sandbox";

/**
 * The hub configuration for the built-in example-small scenario (its mapping is ../shared/scenario/
 * example-small.mapping.md): OU ou-prod-eu → emea, ou-prod → global, no default; reports to each account's
 * SecurityContact tag and the roll-up to a central address. Endpoints point at the sandbox.
 */
export function demoConfig(info: SandboxInfo, outputDir: string): HubConfigInput {
  return {
    hub: { homeRegion: info.region, regions: [info.region] },
    organization: { roleArn: info.aws.organizationReadRoleArn, externalId: info.aws.memberRole.externalId },
    collection: {
      mode: "member-role",
      memberRole: { name: info.aws.memberRole.name, externalId: info.aws.memberRole.externalId },
      concurrency: 4,
    },
    tenants: Object.entries(info.workloadSecurity.tenants).map(([name, tenant]) => ({
      name,
      apiKeySecret: tenant.apiKeySecret,
      url: tenant.url,
    })),
    mapping: { organizationalUnits: { "ou-prod-eu": "emea", "ou-prod": "global" } },
    reports: {
      outputDir,
      sender: info.aws.sender,
      centralRecipients: ["central-security@example.com"],
      recipients: { tagKey: "SecurityContact" },
      writeEml: true,
      linkBucket: info.aws.reportBucket,
    },
    endpoints: { aws: info.aws.endpoint },
  };
}
