import { CreateAccessKeyCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { EnableAWSServiceAccessCommand, RegisterDelegatedAdministratorCommand } from "@aws-sdk/client-organizations";
import { CreateBucketCommand, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { CreateEmailIdentityCommand } from "@aws-sdk/client-sesv2";
import { ERROR_CODES, WshubError } from "@wshub/core";
import type { Scenario } from "../../scenario/types.js";
import type { AwsCredentials } from "../types.js";
import { createTrustedRole } from "./accounts.js";
import type { SeedClients } from "./clients.js";

export type AccountCredentials = AwsCredentials & { accountId: string; arn: string };

export interface HubSeedOptions {
  externalId: string;
  orgReadRoleName: string;
  sender: string;
  reportBucket: string;
}

export interface HubSeedResult {
  hub: AccountCredentials;
  management: AccountCredentials;
  organizationReadRoleArn: string;
  tenantSecrets: Record<string, string>;
}

export const HUB_USER = "wshub-hub";
export const MANAGEMENT_USER = "wshub-management";

const ORGANIZATION_READ_PERMISSIONS = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["organizations:Describe*", "organizations:List*"], Resource: "*" }],
};

/**
 * What the hub works with besides the member accounts: an IAM user with a key in the hub and in the management
 * account, the organization-read role in the management account, the hub as Inspector's delegated administrator,
 * and in the hub's home region the SES sender identity, one secret per tenant and the report bucket.
 */
export async function seedHubAndManagement(
  clients: SeedClients,
  scenario: Scenario,
  options: HubSeedOptions,
): Promise<HubSeedResult> {
  const { hubAccountId, managementAccountId } = scenario.organization;
  const [management, organizationReadRoleArn] = await clients.as(managementAccountId, async () => {
    const user = await createUserWithKey(clients, managementAccountId, MANAGEMENT_USER);
    const roleArn = await createTrustedRole(clients, {
      name: options.orgReadRoleName,
      trustedAccountId: hubAccountId,
      externalId: options.externalId,
      permissions: ORGANIZATION_READ_PERMISSIONS,
    });
    await registerInspectorAdministrator(clients, scenario);
    return [user, roleArn] as const;
  });
  const [hub, tenantSecrets] = await clients.as(hubAccountId, async () => {
    const user = await createUserWithKey(clients, hubAccountId, HUB_USER);
    await clients.sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: options.sender }));
    await createReportBucket(clients, options.reportBucket, scenario.homeRegion);
    return [user, await createTenantSecrets(clients, scenario)] as const;
  });
  return { hub, management, organizationReadRoleArn, tenantSecrets };
}

async function createUserWithKey(
  clients: SeedClients,
  accountId: string,
  userName: string,
): Promise<AccountCredentials> {
  const user = await clients.iam.send(new CreateUserCommand({ UserName: userName }));
  const key = (await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey || !user.User?.Arn) {
    throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto returned no access key for ${userName}`, {
      accountId,
      userName,
    });
  }
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, accountId, arn: user.User.Arn };
}

/** Organizations' view of the delegation; the Inspector emulator decides the hub's rights on its own. */
async function registerInspectorAdministrator(clients: SeedClients, scenario: Scenario): Promise<void> {
  const { hubAccountId, managementAccountId, accounts } = scenario.organization;
  // AWS refuses the management account as its own delegate, and only members can be registered.
  if (hubAccountId === managementAccountId || !accounts.some((a) => a.id === hubAccountId)) return;
  const ServicePrincipal = "inspector2.amazonaws.com";
  await clients.organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal }));
  await clients.organizations.send(
    new RegisterDelegatedAdministratorCommand({ AccountId: hubAccountId, ServicePrincipal }),
  );
}

async function createReportBucket(clients: SeedClients, bucket: string, region: string): Promise<void> {
  // us-east-1 is the one region that takes no location constraint.
  const configuration =
    region === "us-east-1"
      ? {}
      : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket, ...configuration }));
}

async function createTenantSecrets(clients: SeedClients, scenario: Scenario): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const tenant of scenario.workloadSecurity.tenants) {
    const name = `wshub/tenants/${tenant.name}`;
    await clients.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ apiKey: tenant.apiKey }) }),
    );
    names[tenant.name] = name;
  }
  return names;
}
