import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { ERROR_CODES, WshubError, type Clock, systemClock } from "@wshub/core";
import type { AwsCredentials, CredentialProvider } from "./client-settings.js";
import { awsErrorMessage, awsErrorName, isAccessDenied } from "./sdk-errors.js";

export interface RoleRequest {
  roleArn: string;
  externalId?: string | undefined;
  /** Role chaining (a Lambda role assuming another) caps sessions at one hour. */
  durationSeconds?: number;
}

/** Refresh this long before expiry, so a long page loop never signs with an expiring key. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The one place that assumes roles. Credentials are cached per role for their lifetime and refreshed before they
 * expire (sessions last at most an hour when chained), so a run assumes each role once per hour, not once per call.
 * Concurrent callers share one in-flight AssumeRole.
 */
export class CrossAccountCredentials {
  private readonly cache = new Map<string, Promise<AwsCredentials>>();
  private assumeRoleCalls = 0;

  constructor(
    private readonly sts: STSClient,
    private readonly sessionName = "wshub",
    private readonly clock: Clock = systemClock,
  ) {}

  get assumed(): number {
    return this.assumeRoleCalls;
  }

  /** A provider for SDK clients: `new Inspector2Client({ credentials: helper.provider(...) })`. */
  provider(request: RoleRequest): CredentialProvider {
    return () => this.credentials(request);
  }

  async credentials(request: RoleRequest): Promise<AwsCredentials> {
    const key = `${request.roleArn}|${request.externalId ?? ""}`;
    const cached = this.cache.get(key);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && !this.expiresSoon(credentials)) return credentials;
    }
    const fresh = this.assume(request);
    this.cache.set(key, fresh);
    fresh.catch(() => this.cache.delete(key));
    return fresh;
  }

  private expiresSoon(credentials: AwsCredentials): boolean {
    return (
      credentials.expiration !== undefined &&
      credentials.expiration.getTime() - REFRESH_MARGIN_MS <= this.clock.now().getTime()
    );
  }

  private async assume(request: RoleRequest): Promise<AwsCredentials> {
    this.assumeRoleCalls++;
    const accountId = accountOf(request.roleArn);
    try {
      const answer = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: request.roleArn,
          RoleSessionName: this.sessionName,
          ExternalId: request.externalId,
          DurationSeconds: request.durationSeconds ?? 3600,
        }),
      );
      const c = answer.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
      const credentials: AwsCredentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey };
      if (c.SessionToken) credentials.sessionToken = c.SessionToken;
      if (c.Expiration) credentials.expiration = c.Expiration;
      return credentials;
    } catch (error) {
      const reason = isAccessDenied(error)
        ? "access denied (is the member role deployed there, and does its trust policy allow the hub with this external id?)"
        : `${awsErrorName(error)}: ${awsErrorMessage(error)}`;
      throw new WshubError(
        ERROR_CODES.ACCOUNT_UNREACHABLE,
        `cannot assume ${request.roleArn}: ${reason}`,
        {
          accountId,
          roleArn: request.roleArn,
          awsError: awsErrorName(error),
        },
        { cause: error },
      );
    }
  }
}

export function accountOf(roleArn: string): string {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? "unknown";
}

export function roleArnFor(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
