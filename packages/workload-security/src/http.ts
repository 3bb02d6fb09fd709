import { apiKeyShapeProblem, ERROR_CODES, redactSecret, WshubError, type Logger } from "@wshub/core";
import { backoffDelayMs, DEFAULT_BACKOFF, sleep, type BackoffPolicy } from "./backoff.js";
import { RollingMinuteLimiter } from "./rate-limiter.js";

export type AuthHeader = "authorization" | "api-secret-key";

export interface WorkloadSecurityHttpOptions {
  tenant: string;
  /** Base URL ending in /api (or a proxy's root): paths are appended as the spec writes them (/computers...). */
  baseUrl: string;
  apiKey: string;
  authHeader?: AuthHeader;
  maxCallsPerMinute?: number;
  backoff?: BackoffPolicy;
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface RequestOptions {
  query?: Record<string, string | string[] | boolean | undefined>;
  body?: unknown;
}

/**
 * The vendor REST API's transport: `api-version: v1`, the key in the header the key type needs, retries with
 * backoff on 429 and 5xx, a client-side rate ceiling, and errors that name the tenant and the call but never the key.
 * Defence in depth for the key: its shape is checked before any request (fetch's header errors quote the value), and
 * every error text or log line that leaves this class has the key redacted; no error carries a request header.
 */
export class WorkloadSecurityHttp {
  readonly tenant: string;
  readonly #apiKey: string;
  private readonly baseUrl: string;
  private readonly authHeader: AuthHeader;
  private readonly limiter: RollingMinuteLimiter;
  private readonly backoff: BackoffPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly logger: Logger | undefined;
  private callCount = 0;

  constructor(options: WorkloadSecurityHttpOptions) {
    this.tenant = options.tenant;
    this.#apiKey = options.apiKey;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.authHeader = options.authHeader ?? "authorization";
    this.limiter = new RollingMinuteLimiter(options.maxCallsPerMinute ?? 450);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.fetchImpl = options.fetch ?? fetch;
    this.logger = options.logger;
  }

  /** HTTP requests sent, retries included. */
  get calls(): number {
    return this.callCount;
  }

  async request<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const call = `${method} ${path}`;
    const headers = this.headers(options.body !== undefined, call);
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire();
      this.callCount++;
      let response: Response;
      const sent = performance.now();
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          body: options.body === undefined ? null : JSON.stringify(options.body),
        });
      } catch (error) {
        const reason = this.redact(error instanceof Error ? error.message : String(error));
        if (attempt < this.backoff.maxAttempts) {
          await this.pause(attempt, call, `network error: ${reason}`);
          continue;
        }
        // The cause is not attached: a transport error may quote what was sent.
        throw new WshubError(ERROR_CODES.TENANT_UNREACHABLE, `tenant ${this.tenant}: ${call} failed: ${reason}`, {
          tenant: this.tenant,
          call,
        });
      }
      this.logger?.debug("workload security call", {
        tenant: this.tenant,
        call,
        status: response.status,
        attempt,
        ms: Math.round(performance.now() - sent),
      });
      if (response.ok) return (await readJson(response)) as T;
      const message = this.redact(await errorMessage(response));
      if (isRetryable(response.status) && attempt < this.backoff.maxAttempts) {
        await this.pause(attempt, call, `HTTP ${response.status} ${message}`, retryAfterMs(response));
        continue;
      }
      throw this.failure(response.status, call, message);
    }
  }

  private async pause(attempt: number, call: string, why: string, atLeastMs = 0): Promise<void> {
    const delay = Math.max(atLeastMs, backoffDelayMs(attempt, this.backoff));
    this.logger?.warn("workload security call will be retried", {
      tenant: this.tenant,
      call,
      attempt,
      delayMs: delay,
      why,
    });
    await sleep(delay);
  }

  private failure(status: number, call: string, message: string): WshubError {
    const details = { tenant: this.tenant, call, status };
    if (status === 401 || status === 403)
      return new WshubError(
        ERROR_CODES.TENANT_AUTH_FAILED,
        `tenant ${this.tenant}: ${call} was refused (HTTP ${status}): ${message}. Check the tenant's API key and its role.`,
        details,
      );
    if (status === 429)
      return new WshubError(
        ERROR_CODES.THROTTLED,
        `tenant ${this.tenant}: ${call} still throttled after ${this.backoff.maxAttempts} attempts: ${message}`,
        details,
      );
    return new WshubError(
      ERROR_CODES.TENANT_REQUEST_FAILED,
      `tenant ${this.tenant}: ${call} failed with HTTP ${status}: ${message}`,
      details,
    );
  }

  /** The request headers, built and checked here so that fetch never gets (and never quotes) a malformed key. */
  private headers(withBody: boolean, call: string): Headers {
    const problem = apiKeyShapeProblem(this.#apiKey);
    if (problem !== undefined)
      throw new WshubError(
        ERROR_CODES.SECRET_INVALID,
        `tenant ${this.tenant}: ${call} not sent: the API key cannot be sent in a header: ${problem}`,
        { tenant: this.tenant, call },
      );
    const headers = new Headers({ "api-version": "v1", accept: "application/json" });
    if (this.authHeader === "authorization") headers.set("authorization", `ApiKey ${this.#apiKey}`);
    else headers.set("api-secret-key", this.#apiKey);
    if (withBody) headers.set("content-type", "application/json");
    return headers;
  }

  private redact(text: string): string {
    return redactSecret(text, this.#apiKey);
  }

  private url(path: string, query: RequestOptions["query"]): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      // `expand` is an exploded array: the key repeats (?expand=a&expand=b), as the vendor SDKs send it.
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ""}`;
  }
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function retryAfterMs(response: Response): number {
  const header = response.headers.get("retry-after");
  if (!header) return 0;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === "" ? undefined : JSON.parse(text);
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    /* not JSON */
  }
  return text.slice(0, 200) || response.statusText;
}
