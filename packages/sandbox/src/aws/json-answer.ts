/** An emulator's answer in the AWS JSON protocol (the front writes it with the JSON 1.1 content type). */
export interface JsonAnswer {
  status: number;
  body: string;
}

export type JsonBody = Record<string, unknown>;

/** A request body as an object; anything else (empty, not JSON, not an object) is `{}`. */
export function parseJsonBody(body: Buffer): JsonBody {
  try {
    const value: unknown = JSON.parse(body.toString("utf8") || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonBody) : {};
  } catch {
    return {};
  }
}

export function jsonOk(body: JsonBody): JsonAnswer {
  return { status: 200, body: JSON.stringify(body) };
}

/** An AWS error: 400 with `__type` (what the SDKs read as the error's name) and `message`. */
export function jsonFail(type: string, message: string): JsonAnswer {
  return { status: 400, body: JSON.stringify({ __type: type, message }) };
}
