import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { clientSettings, CrossAccountCredentials, type AwsCredentials, type ClientSettingsInput } from "@wshub/aws";
import type { HubConfig } from "@wshub/core";

/** Organizations is a global service served from us-east-1. */
const ORGANIZATIONS_REGION = "us-east-1";

/** The SDK clients of the hub account, built once from configuration. */
export interface HubClients {
  sts: STSClient;
  credentials: CrossAccountCredentials;
  organizations: OrganizationsClient;
  secrets: SecretsManagerClient;
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  ses: SESv2Client;
  s3: S3Client;
  /** Security Hub in a region (built when asked). */
  securityHub(region: string): SecurityHubClient;
  /** S3 in a region (the home region's client when it is that one). */
  s3For(region: string): S3Client;
  /** For readers the adapters build per account or region. */
  settings: Omit<ClientSettingsInput, "region" | "credentials">;
  /** Explicit hub credentials (sandbox); absent: the SDK's default chain. */
  hubCredentials?: AwsCredentials;
}

export function buildClients(config: HubConfig, hubCredentials?: AwsCredentials): HubClients {
  const settings: Omit<ClientSettingsInput, "region" | "credentials"> = { endpoints: config.endpoints, maxAttempts: 8 };
  const base = (region: string) => ({
    ...settings,
    region,
    ...(hubCredentials ? { credentials: hubCredentials } : {}),
  });
  const home = config.hub.homeRegion;
  const sts = new STSClient(clientSettings("sts", base(home)));
  const credentials = new CrossAccountCredentials(sts, "wshub");
  const organizationsRole = config.organization.roleArn
    ? {
        credentials: credentials.provider({
          roleArn: config.organization.roleArn,
          externalId: config.organization.externalId,
        }),
      }
    : {};
  const dynamodb = new DynamoDBClient(clientSettings("dynamodb", base(home)));
  const s3 = new S3Client(clientSettings("s3", base(home)));
  return {
    sts,
    credentials,
    organizations: new OrganizationsClient(
      clientSettings("organizations", { ...base(ORGANIZATIONS_REGION), ...organizationsRole }),
    ),
    secrets: new SecretsManagerClient(clientSettings("secretsmanager", base(home))),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    ses: new SESv2Client(clientSettings("sesv2", base(home))),
    s3,
    securityHub: (region) => new SecurityHubClient(clientSettings("securityhub", base(region))),
    s3For: (region) => (region === home ? s3 : new S3Client(clientSettings("s3", base(region)))),
    settings,
    ...(hubCredentials ? { hubCredentials } : {}),
  };
}
