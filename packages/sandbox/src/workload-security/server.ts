import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import type { FaultPlan } from "../control/faults.js";
import type { CallCounter } from "../control/stats.js";
import type { ScenarioTenant } from "../scenario/types.js";
import type { Route } from "./request.js";
import { ROUTES } from "./routes.js";
import { ApiError } from "./errors.js";
import { TenantModel, type HostVulnerabilities } from "./model.js";

export interface WorkloadSecuritySimulatorOptions {
  tenants: ScenarioTenant[];
  /** What each instance is vulnerable to, for recommendation scans (none by default). */
  hostVulnerabilities?: HostVulnerabilities;
  counter: CallCounter;
  faults: FaultPlan;
  now?: () => number;
}

export interface WorkloadSecuritySimulator {
  /** One base URL for every tenant: the API key selects the tenant. */
  url: string;
  port: number;
  /** Tenant state, for tests that look behind the API. */
  models: Map<string, TenantModel>;
  /** Every tenant's running agents heartbeat `ms` later; how many moved. */
  advanceHeartbeats(ms: number): number;
  stop(): Promise<void>;
}

const UNAUTHENTICATED = "(unauthenticated)";

/**
 * The Workload Security REST API (`api-version: v1`) over a scenario's tenants, under `/api` like the real service:
 * `Authorization: ApiKey <key>` or `api-secret-key: <key>` picks the tenant; errors carry `{"message": ...}`.
 */
export async function startWorkloadSecuritySimulator(
  options: WorkloadSecuritySimulatorOptions,
): Promise<WorkloadSecuritySimulator> {
  const models = new Map(
    options.tenants.map((t, i) => [t.name, new TenantModel(t, i + 1, options.hostVulnerabilities)]),
  );
  const byKey = new Map(options.tenants.map((t) => [t.apiKey, models.get(t.name) as TenantModel]));
  const now = options.now ?? Date.now;
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  // Clients send Content-Type: application/json with no body on some calls (search without a filter): accept it.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError(400, "The request body is not valid JSON."), undefined);
    }
  });

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: `/api${route.path}`,
      config: { operationId: route.operationId },
      handler: (request, reply) => serve(route, request, reply),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    options.counter.record("workload-security", "unknown", subjectOf(request, byKey), 404);
    void reply.code(404).send({ message: `No such resource: ${request.method} ${request.url}` });
  });
  // Errors raised before a handler runs (unparsable JSON, unsupported content type): still answered and counted.
  app.setErrorHandler((error, request, reply) => {
    const status = error instanceof ApiError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    const operationId = (request.routeOptions.config as { operationId?: string }).operationId ?? "unknown";
    options.counter.record("workload-security", operationId, subjectOf(request, byKey), status);
    void reply.code(status).send({ message: error instanceof Error ? error.message : String(error) });
  });

  async function serve(route: Route, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let subject = UNAUTHENTICATED;
    let status = 200;
    try {
      const model = authenticate(request, byKey);
      subject = model.tenant.name;
      const decision = options.faults.decide("workloadSecurity", subject, route.operationId, now());
      if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      if (decision.kind === "throttle") throw new ApiError(429, "Too many API requests");
      if (decision.kind === "error")
        throw new ApiError(
          decision.status,
          decision.status === 429
            ? "Too many API requests"
            : `The server could not answer (injected fault, HTTP ${decision.status}).`,
        );
      const result = route.handler({
        model,
        params: request.params as Record<string, string>,
        query: request.query as Record<string, string | string[] | undefined>,
        body: request.body,
        now: now(),
      });
      if (result === undefined) await reply.code(200).send();
      else await reply.code(200).header("x-dsm-version", "Deep Security/50.0.827").send(result);
    } catch (error) {
      status = error instanceof ApiError ? error.status : 500;
      await reply.code(status).send({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      options.counter.record("workload-security", route.operationId, subject, status);
    }
  }

  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const advanceHeartbeats = (ms: number) =>
    [...models.values()].reduce((n, model) => n + model.advanceHeartbeats(ms), 0);
  return { url: `http://127.0.0.1:${port}/api`, port, models, advanceHeartbeats, stop: () => app.close() };
}

/** The tenant name of the request's key, for counting calls that failed before authentication ran. */
function subjectOf(request: FastifyRequest, byKey: Map<string, TenantModel>): string {
  try {
    return authenticate(request, byKey).tenant.name;
  } catch {
    return UNAUTHENTICATED;
  }
}

function authenticate(request: FastifyRequest, byKey: Map<string, TenantModel>): TenantModel {
  const version = request.headers["api-version"];
  if (version === undefined) throw new ApiError(400, "The api-version header is required.");
  if (version !== "v1") throw new ApiError(400, `Unsupported api-version "${String(version)}"; use v1.`);
  const authorization = request.headers["authorization"];
  const key =
    typeof authorization === "string" && authorization.startsWith("ApiKey ")
      ? authorization.slice(7).trim()
      : request.headers["api-secret-key"];
  const model = typeof key === "string" ? byKey.get(key) : undefined;
  if (!model) throw new ApiError(401, "Authentication failed: the API key is missing or invalid.");
  return model;
}
