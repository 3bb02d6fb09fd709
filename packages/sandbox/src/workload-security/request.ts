import { parseBoolean } from "./booleans.js";
import { ApiError } from "./errors.js";
import type { ComputerState, PolicyState, TenantModel } from "./model.js";
import { EXPAND_VALUES, expandSections } from "./render.js";
import type { ScenarioIpsRule } from "../scenario/types.js";

/** What a route handler gets: the tenant of the key, and the request's parts. */
export interface ApiRequest {
  model: TenantModel;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  now: number;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below `/api`, in fastify syntax (`:computerID`). */
  path: string;
  /** The spec's operationId: the name calls are counted and faults are targeted by. */
  operationId: string;
  /** The answer body; `undefined` answers 200 with no body (DELETE). */
  handler: (request: ApiRequest) => unknown;
}

/** `overrides` (default false, any case): only what is set on the object itself, nothing inherited. */
export function overridesOf(r: ApiRequest): boolean {
  const raw = r.query["overrides"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return false;
  const parsed = parseBoolean(value);
  if (parsed !== undefined) return parsed;
  throw new ApiError(400, `Invalid value "${value}" for the query parameter overrides.`);
}

/** `expand`, a repeated query key, as the set of computer sections to include. */
export function expandOf(r: ApiRequest): Set<string> {
  const raw = r.query["expand"];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const value of values)
    if (!EXPAND_VALUES.has(value)) throw new ApiError(400, `Invalid expand value "${value}".`);
  return expandSections(values);
}

export function idParam(r: ApiRequest, name: string): number {
  const raw = r.params[name];
  const value = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(value))
    throw new ApiError(400, `Invalid ${name} "${String(raw)}".`);
  return value;
}

export function computerOf(r: ApiRequest): ComputerState {
  const computer = r.model.computers.get(idParam(r, "computerID"));
  if (!computer) throw new ApiError(404, "The computer does not exist.");
  return computer;
}

export function policyOf(r: ApiRequest): PolicyState {
  const policy = r.model.policies.get(idParam(r, "policyID"));
  if (!policy) throw new ApiError(404, "The policy does not exist.");
  return policy;
}

export function ruleOf(r: ApiRequest): ScenarioIpsRule {
  const rule = r.model.rules.get(idParam(r, "intrusionPreventionRuleID"));
  if (!rule) throw new ApiError(404, "The intrusion prevention rule does not exist.");
  return rule;
}

/** A JSON object body (a partial object for modify operations); no body counts as `{}`. */
export function objectBody(r: ApiRequest): Record<string, unknown> {
  if (r.body === undefined) return {};
  if (typeof r.body !== "object" || r.body === null || Array.isArray(r.body))
    throw new ApiError(400, "The request body must be a JSON object.");
  return r.body as Record<string, unknown>;
}

/**
 * The `ruleIDs` list of a `{"ruleIDs": [...]}` body. A bare number (`{"ruleIDs": 1234}`, as the original sample
 * sent) or anything that is not a list of integers is rejected.
 */
export function ruleIdList(value: unknown, field = "ruleIDs"): number[] {
  if (!Array.isArray(value) || value.some((v) => !Number.isInteger(v)))
    throw new ApiError(400, `${field} must be a list of integer rule IDs, got ${JSON.stringify(value)}.`);
  return value as number[];
}
