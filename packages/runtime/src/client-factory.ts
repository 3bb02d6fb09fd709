import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { hubCredentialProvider, logSdkCalls, type AwsCredentials, type ClientSettingsInput } from "@wshub/aws";
import type { HubConfig, Logger } from "@wshub/core";

export interface ClientOptions {
  config: HubConfig;
  /** Explicit hub credentials (the sandbox); absent: the SDK's default chain. */
  credentials?: AwsCredentials | undefined;
  /** A named profile of the shared AWS files, as AWS_PROFILE selects it. */
  profile?: string | undefined;
  /** Debug lines per SDK call (never inputs or outputs) and the credential chain's own debug lines. */
  logger?: Logger;
}

/** How every hub client is made: the configured endpoints and retries, the hub's credentials, the call log. */
export function hubClientFactory(options: ClientOptions) {
  const { config, logger } = options;
  const settings: Omit<ClientSettingsInput, "region" | "credentials"> = { endpoints: config.endpoints, maxAttempts: 8 };
  const hubCredentials =
    options.credentials ?? hubCredentialProvider({ profile: options.profile, ...(logger ? { logger } : {}) });
  return {
    settings,
    hubCredentials,
    home: config.hub.homeRegion,
    base: (region: string) => ({ ...settings, region, credentials: hubCredentials }),
    logged: <C extends { middlewareStack: object }>(client: C) => (logger ? logSdkCalls(client, logger) : client),
  };
}

/** The DynamoDB document client every store adapter takes (undefined attributes left out). */
export function documentClient(dynamodb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
}
