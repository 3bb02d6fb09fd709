import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { ERROR_CODES, isWshubError, WshubError, type Logger } from "@wshub/core";
import type { CredentialProvider } from "./client-settings.js";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

export const CREDENTIALS_HINT =
  "configure AWS credentials (environment variables, `aws configure`, `aws sso login`, an instance or Lambda role), " +
  "or name a profile with --profile or AWS_PROFILE";

/**
 * The hub's own credentials: the SDK's default chain (environment, SSO, shared files, credential_process, web
 * identity, container or instance role), or a named profile as AWS_PROFILE selects it (environment keys are then
 * skipped). No credentials at all is the typed AWS_CREDENTIALS_UNAVAILABLE, with a hint, instead of whatever error
 * the first service call would wrap it in.
 */
export function hubCredentialProvider(options: { profile?: string | undefined; logger?: Logger }): CredentialProvider {
  const chain = defaultProvider({
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return async () => {
    try {
      return await chain();
    } catch (error) {
      throw asCredentialsError(error, options.profile) ?? error;
    }
  };
}

/** The SDK's "no credentials" (CredentialsProviderError) as a typed error, or undefined for any other error. */
export function asCredentialsError(error: unknown, profile?: string): WshubError | undefined {
  if (isWshubError(error)) return error.code === ERROR_CODES.AWS_CREDENTIALS_UNAVAILABLE ? error : undefined;
  if (awsErrorName(error) !== "CredentialsProviderError") return undefined;
  return new WshubError(
    ERROR_CODES.AWS_CREDENTIALS_UNAVAILABLE,
    `no AWS credentials${profile !== undefined ? ` for profile ${profile}` : ""}: ${awsErrorMessage(error)}`,
    { ...(profile !== undefined ? { profile } : {}), hint: CREDENTIALS_HINT },
  );
}
