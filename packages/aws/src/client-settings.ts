/**
 * How every SDK client is built: region, optional endpoint override (the sandbox), optional credentials (an assumed
 * role), and retries. Production passes no endpoints; the SDK's standard credential chain applies.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Structurally the SDK's AwsCredentialIdentityProvider. */
export type CredentialProvider = () => Promise<AwsCredentials>;

export type AwsService =
  | "organizations"
  | "sts"
  | "inspector2"
  | "ec2"
  | "dynamodb"
  | "sesv2"
  | "secretsmanager"
  | "s3"
  | "sfn"
  | "securityhub"
  | "config"
  | "elasticloadbalancing"
  | "wafv2"
  | "cloudfront"
  | "iam"
  | "sns"
  | "sqs";

export interface EndpointOverrides {
  /** One endpoint for every service. */
  aws?: string | undefined;
  /** Per service; wins over `aws`. */
  services?: Record<string, string>;
}

export interface ClientSettingsInput {
  region: string;
  endpoints?: EndpointOverrides;
  credentials?: CredentialProvider | AwsCredentials;
  maxAttempts?: number;
  /** "adaptive" adds client-side rate limiting after throttling (Inspector). */
  retryMode?: "standard" | "adaptive";
}

export interface ClientSettings {
  region: string;
  endpoint?: string;
  credentials?: CredentialProvider | AwsCredentials;
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
  forcePathStyle?: boolean;
}

export function clientSettings(service: AwsService, input: ClientSettingsInput): ClientSettings {
  const settings: ClientSettings = {
    region: input.region,
    maxAttempts: input.maxAttempts ?? 8,
    retryMode: input.retryMode ?? "standard",
  };
  const endpoint = input.endpoints?.services?.[service] ?? input.endpoints?.aws;
  if (endpoint !== undefined) {
    settings.endpoint = endpoint;
    // Virtual-hosted bucket names do not resolve on a loopback endpoint.
    if (service === "s3") settings.forcePathStyle = true;
  }
  if (input.credentials !== undefined) settings.credentials = input.credentials;
  return settings;
}
