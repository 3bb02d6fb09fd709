import { describe, expect, it } from "vitest";
import { WshubError, type Logger } from "@wshub/core";
import { WorkloadSecurityHttp } from "../src/index.js";

const KEY = "tmc1secretKEY:0123456789abcdef";
const lines: string[] = [];
const logger: Logger = {
  debug: (m, f) => void lines.push(`${m} ${JSON.stringify(f)}`),
  info: (m, f) => void lines.push(`${m} ${JSON.stringify(f)}`),
  warn: (m, f) => void lines.push(`${m} ${JSON.stringify(f)}`),
  error: (m, f) => void lines.push(`${m} ${JSON.stringify(f)}`),
};

function client(apiKey: string, fetchImpl: typeof fetch) {
  return new WorkloadSecurityHttp({
    tenant: "emea",
    baseUrl: "https://ws.example.com/api",
    apiKey,
    fetch: fetchImpl,
    logger,
    backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

async function failure(promise: Promise<unknown>): Promise<WshubError> {
  const error: unknown = await promise.then(
    () => expect.unreachable("the request succeeded"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WshubError);
  return error as WshubError;
}

describe("the Workload Security transport keeps the key out of every error and log line", () => {
  it("refuses a key with a line break before fetch sees it (fetch's own error would quote the header)", async () => {
    const broken = "tmc1abc\r\nX-Injected: 1";
    expect(() => new Headers({ authorization: `ApiKey ${broken}` })).toThrow(/tmc1abc/);
    let fetched = 0;
    const error = await failure(
      client(broken, async () => {
        fetched++;
        return new Response("{}");
      }).request("GET", "/computers"),
    );
    expect(fetched).toBe(0);
    expect(error.code).toBe("SECRET_INVALID");
    expect(error.message).toContain("tenant emea: GET /computers not sent");
    expect(JSON.stringify({ error, cause: error.cause, message: error.message })).not.toMatch(/tmc1abc|Injected/);
  });

  it("redacts the key from transport errors and retry log lines, and attaches no cause that could carry it", async () => {
    lines.length = 0;
    const error = await failure(
      client(KEY, async () => {
        throw new TypeError(`connect failed while sending authorization: ApiKey ${KEY}`);
      }).request("GET", "/computers"),
    );
    expect(error.code).toBe("TENANT_UNREACHABLE");
    expect(error.message).toContain("[redacted]");
    expect(error.cause).toBeUndefined();
    expect(lines.length).toBeGreaterThan(0);
    expect([error.message, ...lines].join("\n")).not.toContain(KEY);
  });

  it("redacts the key when a server echoes it in an error body", async () => {
    const error = await failure(
      client(KEY, async () => new Response(JSON.stringify({ message: `bad key ${KEY}` }), { status: 401 })).request(
        "GET",
        "/computers",
      ),
    );
    expect(error.code).toBe("TENANT_AUTH_FAILED");
    expect(error.message).toContain("bad key [redacted]");
  });

  it("sends a well-formed key in the header its type needs", async () => {
    let sent: Headers | undefined;
    await client(KEY, async (_url, init) => {
      sent = new Headers(init?.headers);
      return new Response("{}");
    }).request("GET", "/computers");
    expect(sent?.get("authorization")).toBe(`ApiKey ${KEY}`);
    expect(sent?.get("api-version")).toBe("v1");
  });
});
