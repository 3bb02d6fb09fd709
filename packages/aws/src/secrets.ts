import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { apiKeyShapeProblem, AsyncCache, ERROR_CODES, WshubError, type SecretReader } from "@wshub/core";
import { awsErrorName } from "./sdk-errors.js";

/**
 * Tenant API keys from Secrets Manager, read once per process. The value never leaves this class except as the
 * return value: errors name the secret, not its content. A value that cannot be an API key (a line break inside,
 * whitespace, a wrong length) is refused here as SECRET_INVALID, before it can reach an HTTP header or an error text.
 */
export class SecretsManagerApiKeys implements SecretReader {
  private readonly cache = new AsyncCache<string, string>();

  constructor(private readonly client: SecretsManagerClient) {}

  readApiKey(secretId: string): Promise<string> {
    return this.cache.get(secretId, (id) => this.read(id));
  }

  private async read(secretId: string): Promise<string> {
    let secret: string | undefined;
    try {
      secret = (await this.client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      throw new WshubError(ERROR_CODES.SECRET_UNAVAILABLE, `cannot read secret ${secretId}: ${awsErrorName(error)}`, {
        secretId,
        awsError: awsErrorName(error),
      });
    }
    const key = parseApiKey(secret);
    if (key === undefined)
      throw new WshubError(
        ERROR_CODES.SECRET_INVALID,
        `secret ${secretId} holds no API key (expected a string or JSON {"apiKey": "..."})`,
        { secretId },
      );
    const problem = apiKeyShapeProblem(key);
    if (problem !== undefined)
      throw new WshubError(
        ERROR_CODES.SECRET_INVALID,
        `secret ${secretId} does not hold a usable API key: ${problem}. Store the key alone, without quotes or line breaks`,
        { secretId },
      );
    return key;
  }
}

/** The key from a secret string (surrounding whitespace, such as a trailing newline, trimmed), or undefined. */
export function parseApiKey(secret: string | undefined): string | undefined {
  if (secret === undefined || secret.trim() === "") return undefined;
  const trimmed = secret.trim();
  if (!trimmed.startsWith("{")) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    const key = parsed["apiKey"] ?? parsed["ApiKey"] ?? parsed["api_key"];
    return typeof key === "string" && key.trim() !== "" ? key.trim() : undefined;
  } catch {
    return undefined;
  }
}
