import {
  request as httpRequest,
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";

// Per-hop headers are the proxy's own business; `expect` is dropped because Node already answered 100-continue.
// `x-moto-account-id` is dropped so that only credentials say who a caller is, as in AWS.
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "x-moto-account-id",
]);

/** The request's headers for the upstream. Host stays as signed: moto and DynamoDB Local do not check signatures. */
export function forwardedHeaders(headers: IncomingHttpHeaders, body?: Buffer): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  }
  if (body !== undefined) out["content-length"] = String(body.length);
  return out;
}

/**
 * Send the request to `upstream` (origin only; path and query are the original ones), the body either buffered
 * or streamed from the client, and resolve with the upstream's response head.
 */
export function sendUpstream(
  upstream: string,
  request: IncomingMessage,
  headers: OutgoingHttpHeaders,
  body: Buffer | IncomingMessage,
  agent: Agent,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(request.url ?? "/", upstream),
      { method: request.method ?? "GET", headers, agent },
      resolve,
    );
    outgoing.on("error", reject);
    // A client that goes away must not leave the upstream request hanging.
    request.once("close", () => {
      if (!request.complete) outgoing.destroy();
    });
    if (Buffer.isBuffer(body)) outgoing.end(body);
    else body.pipe(outgoing);
  });
}

/** Relay an upstream response to the client as a stream; resolves when it has been handed over completely. */
export function relayResponse(upstream: IncomingMessage, response: ServerResponse): Promise<void> {
  response.writeHead(upstream.statusCode ?? 502, responseHeaders(upstream));
  return new Promise((resolve) => {
    upstream.pipe(response);
    response.once("close", resolve);
    upstream.once("error", () => {
      response.destroy();
      resolve();
    });
  });
}

export function responseHeaders(upstream: IncomingMessage): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  }
  return out;
}

export function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}
