import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { assumeRoleDenial, writeDenial } from "./assume-role-guard.js";
import { ANONYMOUS, CallerDirectory } from "./callers.js";
import { withDistributionOrigins } from "./cloudfront-summaries.js";
import { serveConfig } from "./config/api.js";
import { SeedClients } from "./seed/clients.js";
import { serveWafv2 } from "./wafv2/api.js";
import { ConfigStore } from "./config/store.js";
import { Ec2DescribeCache, type BufferedAnswer } from "./ec2-describe-cache.js";
import { apiOf, operationOf } from "./operation.js";
import { Outbox } from "./outbox.js";
import { SES_V1_SENDS } from "./outbox-ses-v1.js";
import { forwardedHeaders, readBody, relayResponse, responseHeaders, sendUpstream } from "./proxy.js";
import { credentialScopeOf, withAccessKeyId, type SigV4Scope } from "./sigv4.js";
import type { AwsFrontOptions, Caller, CapturedEmail } from "./types.js";

export { DENIAL_REASON_HEADER } from "./assume-role-guard.js";

export interface AwsFront {
  /** "http://127.0.0.1:<port>": the one endpoint every AWS SDK client of the product is given. */
  endpoint: string;
  port: number;
  outbox(): CapturedEmail[];
  close(): Promise<void>;
}

/** What one request is, as far as routing and counting go. */
interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  scope: SigV4Scope | undefined;
  api: string;
  operation: string;
  /** The request body when it had to be read (query protocol, SES sends, Inspector); else it is streamed. */
  body: Buffer | undefined;
  params: URLSearchParams;
  caller: Caller;
}

/**
 * The AWS front: one loopback endpoint for every AWS service the product calls. It routes on the SigV4 scope
 * (dynamodb → DynamoDB Local, inspector2 → the in-process emulator, everything else → moto), denies the
 * AssumeRole calls AWS would deny, captures sent e-mails, and counts every call per caller account.
 */
export async function startAwsFront(options: AwsFrontOptions, port = 0): Promise<AwsFront> {
  const callers = new CallerDirectory(options.motoEndpoint);
  const outbox = new Outbox();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  // The front's own questions to moto (as an account, never counted): what WAF associations moto keeps.
  const moto = new SeedClients(options.motoEndpoint, "us-east-1");
  const route = router(options, { outbox, agent, moto });
  const server = createServer((request, response) => {
    void handle(request, response, callers, route, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    outbox: () => outbox.list(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      moto.destroy();
      await closed;
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  callers: CallerDirectory,
  route: (call: Call) => Promise<number>,
  options: AwsFrontOptions,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://front.invalid");
  const scope = credentialScopeOf(request.headers, url);
  const api = apiOf(scope?.service ?? "unsigned", url.pathname);
  let status = 500;
  let caller = ANONYMOUS;
  let operation = `${request.method ?? "GET"} ${url.pathname}`;
  try {
    const body = mustRead(api, request, url) ? await readBody(request) : undefined;
    const params = queryParameters(request, url, body);
    operation = operationOf({
      api,
      method: request.method ?? "GET",
      path: url.pathname,
      headers: request.headers,
      params,
    });
    if (scope) caller = await callers.resolve(scope.accessKeyId);
    status = await route({ request, response, scope, api, operation, body, params, caller });
  } catch (error) {
    status = answerFailure(response, error);
  } finally {
    options.counter.record(api, operation, caller.accountId, status);
  }
}

function mustRead(api: string, request: IncomingMessage, url: URL): boolean {
  if (api === "inspector2" || api === "config" || api === "wafv2") return true;
  if (isForm(request)) return true;
  return api === "sesv2" && request.method === "POST" && url.pathname === "/v2/email/outbound-emails";
}

function isForm(request: IncomingMessage): boolean {
  return (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

function queryParameters(request: IncomingMessage, url: URL, body: Buffer | undefined): URLSearchParams {
  if (body !== undefined && isForm(request)) return new URLSearchParams(body.toString("utf8"));
  return url.searchParams;
}

function router(
  options: AwsFrontOptions,
  { outbox, agent, moto }: { outbox: Outbox; agent: Agent; moto: SeedClients },
): (call: Call) => Promise<number> {
  const toMoto = (call: Call) => forward(options.motoEndpoint, call, agent);
  const ec2Answers = new Ec2DescribeCache();
  const config = options.config ?? new ConfigStore();
  return async (call) => {
    if (call.api === "ec2") return forwardEc2(options.motoEndpoint, ec2Answers, call, agent);
    if (call.api === "inspector2") return serveInspector(options, call);
    if (call.api === "config") return serveOrForwardConfig(config, call, toMoto);
    if (call.api === "wafv2") return serveOrForwardWafv2(moto, call, toMoto);
    if (call.api === "cloudfront" && call.operation === "ListDistributions") {
      const answer = await forwardBuffered(options.motoEndpoint, call, agent);
      const where = { motoEndpoint: options.motoEndpoint, accountId: call.caller.accountId };
      return writeAnswer(call, await withDistributionOrigins(answer, where));
    }
    if (call.api === "dynamodb") return forwardToDynamoDb(options.dynamodbEndpoint, call, agent);
    if (call.api === "sts" && call.operation === "AssumeRole") {
      const denial = await assumeRoleDenial(options.motoEndpoint, call.caller, call.params);
      return denial === undefined
        ? toMoto(call)
        : writeDenial(call.response, {
            caller: call.caller,
            roleArn: call.params.get("RoleArn") ?? "",
            reason: denial,
          });
    }
    if (call.api === "sesv2" && call.operation === "SendEmail")
      return forwardCapturingEmail(options, outbox, call, agent);
    if (call.api === "ses" && SES_V1_SENDS.has(call.operation))
      return forwardCapturingEmailV1(options, outbox, call, agent);
    return toMoto(call);
  };
}

async function forward(upstream: string, call: Call, agent: Agent): Promise<number> {
  const headers = forwardedHeaders(call.request.headers, call.body);
  const answer = await sendUpstream(upstream, call.request, headers, call.body ?? call.request, agent);
  await relayResponse(answer, call.response);
  return answer.statusCode ?? 502;
}

/**
 * DynamoDB Local keeps one database per access key (and region). Tables belong to an account in AWS, so the
 * request is re-scoped to the caller's account id: every key of an account, a user's or an assumed role's, sees
 * the same tables.
 */
async function forwardToDynamoDb(upstream: string, call: Call, agent: Agent): Promise<number> {
  const headers = forwardedHeaders(call.request.headers, call.body);
  if (call.scope && typeof headers["authorization"] === "string") {
    headers["authorization"] = withAccessKeyId(headers["authorization"], call.caller.accountId);
  }
  const answer = await sendUpstream(upstream, call.request, headers, call.body ?? call.request, agent);
  await relayResponse(answer, call.response);
  return answer.statusCode ?? 502;
}

async function forwardCapturingEmail(options: AwsFrontOptions, outbox: Outbox, call: Call, agent: Agent) {
  const answer = await forwardBuffered(options.motoEndpoint, call, agent);
  if (answer.status === 200) outbox.accept(call.body ?? Buffer.alloc(0), answer.body, call.caller.accountId);
  return writeAnswer(call, answer);
}

async function forwardCapturingEmailV1(options: AwsFrontOptions, outbox: Outbox, call: Call, agent: Agent) {
  const answer = await forwardBuffered(options.motoEndpoint, call, agent);
  if (answer.status === 200) outbox.acceptV1(call.params, answer.body, call.caller.accountId);
  return writeAnswer(call, answer);
}

/** EC2 goes to moto; DescribeInstances answers are replayed until EC2 changes (see Ec2DescribeCache for why). */
async function forwardEc2(upstream: string, answers: Ec2DescribeCache, call: Call, agent: Agent): Promise<number> {
  if (!Ec2DescribeCache.isCacheable(call.operation)) {
    if (Ec2DescribeCache.mayChangeState(call.operation)) answers.clear();
    return forward(upstream, call, agent);
  }
  const key = Ec2DescribeCache.keyOf(call.caller.accountId, call.scope?.region ?? "", call.body);
  const kept = answers.get(key);
  if (kept) return writeAnswer(call, kept);
  const answer = await forwardBuffered(upstream, call, agent);
  answers.keep(key, answer);
  return writeAnswer(call, answer);
}

async function forwardBuffered(upstream: string, call: Call, agent: Agent): Promise<BufferedAnswer> {
  const body = call.body ?? Buffer.alloc(0);
  const answer = await sendUpstream(upstream, call.request, forwardedHeaders(call.request.headers, body), body, agent);
  const answerBody = await readBody(answer);
  return {
    status: answer.statusCode ?? 502,
    headers: { ...responseHeaders(answer), "content-length": String(answerBody.length) },
    body: answerBody,
  };
}

function writeAnswer(call: Call, answer: BufferedAnswer): number {
  call.response.writeHead(answer.status, answer.headers);
  call.response.end(answer.body);
  return answer.status;
}

/** Config: the emulator answers what moto lacks (evaluations, compliance reads, instance history); moto the rest. */
async function serveOrForwardConfig(
  config: ConfigStore,
  call: Call,
  toMoto: (call: Call) => Promise<number>,
): Promise<number> {
  const request = { operation: call.operation, body: call.body ?? Buffer.alloc(0), caller: call.caller };
  const answer = serveConfig(config, { ...request, region: call.scope?.region ?? "" });
  return answer === undefined ? toMoto(call) : writeJson(call, answer);
}

/** WAFv2: the front answers what moto lacks (the managed rule group catalogue, ListResourcesForWebACL); moto the rest. */
async function serveOrForwardWafv2(
  moto: SeedClients,
  call: Call,
  toMoto: (call: Call) => Promise<number>,
): Promise<number> {
  const request = { operation: call.operation, body: call.body ?? Buffer.alloc(0), caller: call.caller, moto };
  const answer = await serveWafv2({ ...request, region: call.scope?.region ?? "" });
  return answer === undefined ? toMoto(call) : writeJson(call, answer);
}

/** An emulator's answer in the AWS JSON 1.1 protocol. */
function writeJson(call: Call, answer: { status: number; body: string }): number {
  call.response.writeHead(answer.status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": String(Buffer.byteLength(answer.body)),
  });
  call.response.end(answer.body);
  return answer.status;
}

async function serveInspector(options: AwsFrontOptions, call: Call): Promise<number> {
  const answer = await options.inspector2(call.request, call.body ?? Buffer.alloc(0), call.caller);
  call.response.writeHead(answer.status, answer.headers);
  call.response.end(answer.body);
  return answer.status;
}

/** A failure of the front itself or of an upstream it could not reach: 502, in the JSON error shape. */
function answerFailure(response: ServerResponse, error: unknown): number {
  const failure =
    error instanceof WshubError
      ? error
      : new WshubError(ERROR_CODES.SANDBOX_FAILED, `AWS front: ${(error as Error).message}`, {}, { cause: error });
  if (response.headersSent) {
    response.destroy();
    return 502;
  }
  const body = JSON.stringify({ __type: "ServiceUnavailable", message: failure.message });
  response.writeHead(502, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  response.end(body);
  return 502;
}
