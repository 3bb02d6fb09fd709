import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { CapturedEmail } from "../aws/types.js";
import type { InjectRequest } from "../events/injector.js";
import type { FaultConfig, FaultPlan } from "./faults.js";
import type { CallCounter } from "./stats.js";

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The sandbox's own control API (not an AWS or vendor API), for tests and benchmarks:
 *   GET  /stats            calls counted at the servers, by API, operation, tenant/account and status
 *   POST /stats/reset      zero the counters
 *   GET  /faults           current fault knobs        PUT /faults  replace them (FaultConfig JSON)
 *   GET  /outbox           e-mails SES accepted (raw MIME base64-encoded)
 *   GET  /info             the endpoints and credentials JSON the sandbox printed at start
 *   POST /heartbeats       {"advanceMs": N}: every running agent heartbeats N ms later (time passes between runs)
 *   POST /advance          apply a scenario step (new findings, status changes, new agents; docs/sandbox.md)
 *   POST /signals          put finding events on the hub bus (findings, raw, duplicateRate, outOfOrder, seed, eventsPerSecond)
 */
export async function startControlServer(deps: {
  counter: CallCounter;
  faults: FaultPlan;
  outbox: () => CapturedEmail[];
  info: () => unknown;
  advanceHeartbeats: (ms: number) => number;
  advance: (step: unknown) => unknown;
  injectFindings: (request: InjectRequest) => Promise<unknown>;
}): Promise<ControlServer> {
  const server = createServer((request, response) => {
    handle(deps, request, response).catch((error: unknown) =>
      send(response, 500, { message: (error as Error).message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  deps: Parameters<typeof startControlServer>[0],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const route = `${request.method} ${(request.url ?? "").split("?")[0]}`;
  switch (route) {
    case "GET /stats":
      return send(response, 200, deps.counter.snapshot());
    case "POST /stats/reset":
      deps.counter.reset();
      return send(response, 200, {});
    case "GET /faults":
      return send(response, 200, deps.faults.get());
    case "PUT /faults": {
      const body = JSON.parse((await readBody(request)) || "{}") as FaultConfig & { seed?: number };
      const { seed, ...config } = body;
      deps.faults.set(config, seed);
      return send(response, 200, deps.faults.get());
    }
    case "GET /outbox":
      return send(
        response,
        200,
        deps.outbox().map((email) => ({ ...email, raw: email.raw.toString("base64") })),
      );
    case "GET /info":
      return send(response, 200, deps.info());
    case "POST /heartbeats": {
      const { advanceMs } = JSON.parse((await readBody(request)) || "{}") as { advanceMs?: unknown };
      if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs) || advanceMs < 0)
        return send(response, 400, { message: "advanceMs must be a non-negative number of milliseconds" });
      return send(response, 200, { moved: deps.advanceHeartbeats(advanceMs) });
    }
    case "POST /advance": {
      const body = JSON.parse((await readBody(request)) || "{}") as unknown;
      try {
        return send(response, 200, deps.advance(body));
      } catch (error) {
        return send(response, 400, { message: (error as Error).message });
      }
    }
    case "POST /signals":
      return injectSignals(deps, await readBody(request), response);
    default:
      return send(response, 404, { message: `no such control route: ${route}` });
  }
}

async function injectSignals(
  deps: Parameters<typeof startControlServer>[0],
  text: string,
  response: ServerResponse,
): Promise<void> {
  try {
    const body = JSON.parse(text || "{}") as InjectRequest;
    return send(response, 200, await deps.injectFindings(body));
  } catch (error) {
    return send(response, 400, { message: (error as Error).message });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
