import { hasOrganization, type Scenario } from "../../scenario/types.js";
import { seedAccountContents } from "./accounts.js";
import { SeedClients } from "./clients.js";
import { seedHubAndManagement, type AccountCredentials } from "./hub.js";
import { seedOrganization } from "./organization.js";

export interface SeedAwsOptions {
  /** moto started by `startMotoServer` (the launcher's id announcements are needed). */
  motoEndpoint: string;
  memberRoleName?: string;
  externalId?: string;
  orgReadRoleName?: string;
  sender?: string;
  reportBucket?: string;
  /** Calls in flight at once (moto serves each on a thread, under one GIL). */
  concurrency?: number;
}

export interface SeedAwsResult {
  credentials: { hub: AccountCredentials; management: AccountCredentials };
  memberRole: { name: string; externalId: string };
  organizationReadRoleArn: string;
  sender: string;
  tenantSecrets: Record<string, string>;
  reportBucket: string;
  /** Wall-clock milliseconds per phase, and in total. */
  timingsMs: { organization: number; accounts: number; hub: number; total: number };
}

export const SEED_DEFAULTS = {
  memberRoleName: "wshub-member-read",
  externalId: "wshub-sandbox-external-id",
  orgReadRoleName: "wshub-org-read",
  sender: "wshub@example.com",
  concurrency: 4,
} as const;

/** Build the scenario's AWS side in moto through the AWS APIs (SDK v3 clients pointed at moto). */
export async function seedAws(scenario: Scenario, options: SeedAwsOptions): Promise<SeedAwsResult> {
  const started = performance.now();
  const { hubAccountId } = scenario.organization;
  const memberRole = {
    name: options.memberRoleName ?? SEED_DEFAULTS.memberRoleName,
    externalId: options.externalId ?? SEED_DEFAULTS.externalId,
  };
  const sender = options.sender ?? SEED_DEFAULTS.sender;
  const reportBucket = options.reportBucket ?? `wshub-reports-${hubAccountId}`;
  const concurrency = options.concurrency ?? SEED_DEFAULTS.concurrency;
  const clients = new SeedClients(options.motoEndpoint, scenario.homeRegion);
  try {
    const organization = await timed(async () => {
      if (hasOrganization(scenario)) await seedOrganization(clients, options.motoEndpoint, scenario, concurrency);
    });
    const [accounts, hub] = await Promise.all([
      timed(() =>
        seedAccountContents(
          clients,
          options.motoEndpoint,
          scenario,
          { ...memberRole, trustedAccountId: hubAccountId },
          concurrency,
        ),
      ),
      timed(() =>
        seedHubAndManagement(clients, scenario, {
          externalId: memberRole.externalId,
          orgReadRoleName: options.orgReadRoleName ?? SEED_DEFAULTS.orgReadRoleName,
          sender,
          reportBucket,
        }),
      ),
    ]);
    return {
      credentials: { hub: hub.value.hub, management: hub.value.management },
      memberRole,
      organizationReadRoleArn: hub.value.organizationReadRoleArn,
      sender,
      tenantSecrets: hub.value.tenantSecrets,
      reportBucket,
      timingsMs: {
        organization: organization.ms,
        accounts: accounts.ms,
        hub: hub.ms,
        total: Math.round(performance.now() - started),
      },
    };
  } finally {
    clients.destroy();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}
