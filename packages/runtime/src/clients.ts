import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { STSClient } from "@aws-sdk/client-sts";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  clientSettings,
  CrossAccountCredentials,
  type AwsCredentials,
  type ClientSettingsInput,
  type CredentialProvider,
} from "@wshub/aws";
import { documentClient, hubClientFactory, type ClientOptions } from "./client-factory.js";

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
  /** The hub's own credentials: explicit ones (sandbox), else the default chain or the named profile. */
  hubCredentials: AwsCredentials | CredentialProvider;
}

export function buildClients(options: ClientOptions): HubClients {
  const { config } = options;
  const { settings, hubCredentials, home, base, logged } = hubClientFactory(options);
  const sts = logged(new STSClient(clientSettings("sts", base(home))));
  const credentials = new CrossAccountCredentials(sts, "wshub");
  const organizationsRole = config.organization.roleArn
    ? {
        credentials: credentials.provider({
          roleArn: config.organization.roleArn,
          externalId: config.organization.externalId,
        }),
      }
    : {};
  const dynamodb = logged(new DynamoDBClient(clientSettings("dynamodb", base(home))));
  const s3 = logged(new S3Client(clientSettings("s3", base(home))));
  return {
    sts,
    credentials,
    organizations: logged(
      new OrganizationsClient(clientSettings("organizations", { ...base(ORGANIZATIONS_REGION), ...organizationsRole })),
    ),
    secrets: logged(new SecretsManagerClient(clientSettings("secretsmanager", base(home)))),
    dynamodb,
    documents: documentClient(dynamodb),
    ses: logged(new SESv2Client(clientSettings("sesv2", base(home)))),
    s3,
    securityHub: (region) => logged(new SecurityHubClient(clientSettings("securityhub", base(region)))),
    s3For: (region) => (region === home ? s3 : logged(new S3Client(clientSettings("s3", base(region))))),
    settings,
    hubCredentials,
  };
}
