import type { TenantModel, ComputerState, PolicyState } from "./model.js";
import { sorted } from "./model.js";
import { ApiError } from "./errors.js";
import { assignmentsAnswer, expandSections, renderComputer, renderPolicy, renderRule, EXPAND_VALUES } from "./render.js";
import { parseSearch, runSearch } from "./search.js";

/** What a route handler gets: the tenant of the key, and the request's parts. */
export interface ApiRequest {
  model: TenantModel;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  now: number;
}

export type Handler = (request: ApiRequest) => unknown;

const ALL = expandSections(["all"]);

function bool(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return false;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ApiError(400, `Invalid boolean value "${v}".`);
}

function expandOf(query: ApiRequest["query"]): Set<string> {
  const raw = query["expand"];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const value of values) if (!EXPAND_VALUES.has(value)) throw new ApiError(400, `Invalid expand value "${value}".`);
  return expandSections(values);
}

function id(params: Record<string, string>, name: string): number {
  const value = Number(params[name]);
  if (!Number.isInteger(value) || value < 0) throw new ApiError(400, `Invalid ${name} "${params[name]}".`);
  return value;
}

function computerOf(r: ApiRequest): ComputerState {
  const computer = r.model.computers.get(id(r.params, "computerID"));
  if (!computer) throw new ApiError(404, "The computer does not exist.");
  return computer;
}

function policyOf(r: ApiRequest): PolicyState {
  const policy = r.model.policies.get(id(r.params, "policyID"));
  if (!policy) throw new ApiError(404, "The policy does not exist.");
  return policy;
}

/** `{"ruleIDs": [...]}`, integers only, every one in the catalog (the API assigns nothing when one is unknown). */
function ruleIdsOf(r: ApiRequest): number[] {
  const body = r.body as { ruleIDs?: unknown } | undefined;
  const ids = body?.ruleIDs ?? [];
  if (!Array.isArray(ids) || ids.some((v) => !Number.isInteger(v))) throw new ApiError(400, "ruleIDs must be a list of integer rule IDs.");
  const unknown = r.model.unknownRules(ids as number[]);
  if (unknown.length > 0) throw new ApiError(400, `Invalid intrusion prevention rule IDs: ${unknown.join(", ")}.`);
  return ids as number[];
}

function computerAssignments(r: ApiRequest, c: ComputerState) {
  return assignmentsAnswer(bool(r.query["overrides"]) ? sorted(c.ruleIds) : r.model.effectiveComputerRules(c), c.lastRecommendationScanDate);
}

function policyAssignments(r: ApiRequest, p: PolicyState) {
  return assignmentsAnswer(bool(r.query["overrides"]) ? sorted(p.ruleIds) : r.model.effectivePolicyRules(p.id), undefined);
}

function ruleOf(r: ApiRequest, name = "intrusionPreventionRuleID") {
  const rule = r.model.rules.get(id(r.params, name));
  if (!rule) throw new ApiError(404, "The intrusion prevention rule does not exist.");
  return rule;
}

const IPS_STATES = new Set(["inherited", "prevent", "detect", "off"]);

function modifyComputer(r: ApiRequest) {
  const c = computerOf(r);
  const body = (r.body ?? {}) as Record<string, unknown>;
  if (body["policyID"] !== undefined) {
    const policyId = Number(body["policyID"]);
    if (policyId !== 0 && !r.model.policies.has(policyId)) throw new ApiError(400, `The policy ${policyId} does not exist.`);
    c.policyId = policyId;
  }
  if (typeof body["displayName"] === "string") c.displayName = body["displayName"];
  if (typeof body["description"] === "string") c.description = body["description"];
  const ips = body["intrusionPrevention"] as { state?: string; ruleIDs?: number[] } | undefined;
  if (ips?.state !== undefined) {
    if (!IPS_STATES.has(ips.state)) throw new ApiError(400, `Invalid intrusionPrevention.state "${ips.state}".`);
    c.ipsState = ips.state as ComputerState["ipsState"];
  }
  if (ips?.ruleIDs !== undefined) c.ruleIds = new Set(ruleIdsOf({ ...r, body: { ruleIDs: ips.ruleIDs } }));
  return renderComputer(r.model, c, expandOf(r.query), bool(r.query["overrides"]));
}

function modifyPolicy(r: ApiRequest) {
  const p = policyOf(r);
  const body = (r.body ?? {}) as Record<string, unknown>;
  if (typeof body["name"] === "string") p.name = body["name"];
  if (typeof body["description"] === "string") p.description = body["description"];
  if (body["parentID"] !== undefined) {
    const parent = Number(body["parentID"]);
    if (parent !== 0 && (!r.model.policies.has(parent) || r.model.policyChain(parent).some((q) => q.id === p.id)))
      throw new ApiError(400, `Invalid parentID ${parent}.`);
    p.parentId = parent === 0 ? null : parent;
  }
  const ips = body["intrusionPrevention"] as { state?: string; ruleIDs?: number[] } | undefined;
  if (ips?.state !== undefined) {
    if (!IPS_STATES.has(ips.state)) throw new ApiError(400, `Invalid intrusionPrevention.state "${ips.state}".`);
    p.ipsState = ips.state as PolicyState["ipsState"];
  }
  if (ips?.ruleIDs !== undefined) p.ruleIds = new Set(ruleIdsOf({ ...r, body: { ruleIDs: ips.ruleIDs } }));
  return renderPolicy(r.model, p, bool(r.query["overrides"]));
}

function searchComputers(r: ApiRequest) {
  const search = parseSearch(r.body, "computer");
  const sections = expandOf(r.query);
  const overrides = bool(r.query["overrides"]);
  const full = [...r.model.computers.values()].map((c) => ({ c, wire: renderComputer(r.model, c, ALL, false) }));
  const matched = runSearch(full.map((f) => f.wire), search);
  const byId = new Map(full.map((f) => [f.c.id, f.c]));
  return { computers: matched.map((w) => renderComputer(r.model, byId.get(Number(w["ID"])) as ComputerState, sections, overrides)) };
}

function runTask(r: ApiRequest, body: Record<string, unknown>) {
  const type = body["type"];
  const parameters =
    type === "scan-for-recommendations"
      ? (body["scanForRecommendationsTaskParameters"] as { computerFilter?: Record<string, unknown> } | undefined)
      : type === "scan-for-integrity-changes"
        ? (body["scanForIntegrityChangesTaskParameters"] as { computerFilter?: Record<string, unknown> } | undefined)
        : undefined;
  if (!parameters) return;
  for (const computer of filteredComputers(r.model, parameters.computerFilter ?? { type: "all-computers" })) {
    if (type === "scan-for-recommendations") computer.lastRecommendationScanDate = r.now;
    else computer.lastIntegrityScan = r.now;
  }
}

function filteredComputers(model: TenantModel, filter: Record<string, unknown>): ComputerState[] {
  switch (filter["type"]) {
    case "computer": {
      const computer = model.computers.get(Number(filter["computerID"]));
      if (!computer) throw new ApiError(400, `The computer ${String(filter["computerID"])} does not exist.`);
      return [computer];
    }
    case "all-computers":
      return [...model.computers.values()];
    case "computers-using-policy":
      return model.computersUnderPolicy(Number(filter["policyID"]), false);
    case "computers-using-policy-or-subpolicy":
      return model.computersUnderPolicy(Number(filter["policyID"]), true);
    default:
      throw new ApiError(400, `Unsupported computerFilter type "${String(filter["type"])}".`);
  }
}

const TASK_TYPES = new Set([
  "scan-for-open-ports", "send-alert-summary", "discover-computers", "run-script", "send-policy", "generate-report", "synchronize-directory",
  "synchronize-users", "scan-for-recommendations", "synchronize-vcenter", "scan-for-integrity-changes", "scan-for-malware",
  "check-for-security-updates", "synchronize-cloud-account", "check-for-software-updates", "update-suspicious-objects-list",
]);

/**
 * A run-now task runs at once and then stays listed (with `lastRunTime`), like any other scheduled task; whether the
 * vendor deletes once-only tasks after running is not documented, and keeping them lets a client confirm the run.
 */
function createTask(r: ApiRequest) {
  const body = (r.body ?? {}) as Record<string, unknown>;
  if (!TASK_TYPES.has(String(body["type"]))) throw new ApiError(400, `Invalid scheduled task type "${String(body["type"])}".`);
  if (typeof body["name"] !== "string" || body["name"] === "") throw new ApiError(400, "A scheduled task needs a name.");
  const { runNow, ...rest } = body;
  if (runNow === true) runTask(r, body);
  const task = r.model.addTask({ ...rest, enabled: body["enabled"] ?? true, ...(runNow === true ? { lastRunTime: r.now } : {}) });
  return { ...task.body, ID: task.id };
}

function taskOf(r: ApiRequest) {
  const task = r.model.tasks.get(id(r.params, "scheduledTaskID"));
  if (!task) throw new ApiError(404, "The scheduled task does not exist.");
  return task;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  operationId: string;
  handler: Handler;
}

export const ROUTES: Route[] = [
  { method: "GET", path: "/computers", operationId: "listComputers", handler: (r) => ({ computers: [...r.model.computers.values()].sort((a, b) => a.id - b.id).map((c) => renderComputer(r.model, c, expandOf(r.query), bool(r.query["overrides"]))) }) },
  { method: "POST", path: "/computers/search", operationId: "searchComputers", handler: searchComputers },
  { method: "GET", path: "/computers/:computerID", operationId: "describeComputer", handler: (r) => renderComputer(r.model, computerOf(r), expandOf(r.query), bool(r.query["overrides"])) },
  { method: "POST", path: "/computers/:computerID", operationId: "modifyComputer", handler: modifyComputer },
  { method: "GET", path: "/computers/:computerID/intrusionprevention/assignments", operationId: "listIntrusionPreventionRuleIDsOnComputer", handler: (r) => computerAssignments(r, computerOf(r)) },
  {
    method: "POST",
    path: "/computers/:computerID/intrusionprevention/assignments",
    operationId: "addIntrusionPreventionRuleIDsToComputer",
    handler: (r) => {
      const c = computerOf(r);
      for (const ruleId of ruleIdsOf(r)) c.ruleIds.add(ruleId);
      return computerAssignments(r, c);
    },
  },
  {
    method: "PUT",
    path: "/computers/:computerID/intrusionprevention/assignments",
    operationId: "setIntrusionPreventionRuleIDsOnComputer",
    handler: (r) => {
      const c = computerOf(r);
      c.ruleIds = new Set(ruleIdsOf(r));
      return computerAssignments(r, c);
    },
  },
  {
    method: "DELETE",
    path: "/computers/:computerID/intrusionprevention/assignments/:intrusionPreventionRuleID",
    operationId: "removeIntrusionPreventionRuleIDFromComputer",
    handler: (r) => {
      const c = computerOf(r);
      c.ruleIds.delete(id(r.params, "intrusionPreventionRuleID"));
      return computerAssignments(r, c);
    },
  },
  {
    method: "GET",
    path: "/computers/:computerID/intrusionprevention/rules",
    operationId: "listIntrusionPreventionRulesOnComputer",
    handler: (r) => {
      const c = computerOf(r);
      const ids = bool(r.query["overrides"]) ? sorted(c.ruleIds) : r.model.effectiveComputerRules(c);
      return { intrusionPreventionRules: ids.map((ruleId) => r.model.rules.get(ruleId)).filter((rule) => rule !== undefined).map((rule) => renderRule(rule)) };
    },
  },
  {
    method: "GET",
    path: "/computers/:computerID/intrusionprevention/rules/:intrusionPreventionRuleID",
    operationId: "describeIntrusionPreventionRuleOnComputer",
    handler: (r) => {
      const c = computerOf(r);
      const rule = ruleOf(r);
      const ids = bool(r.query["overrides"]) ? sorted(c.ruleIds) : r.model.effectiveComputerRules(c);
      if (!ids.includes(rule.id)) throw new ApiError(404, "The intrusion prevention rule does not exist.");
      return renderRule(rule);
    },
  },
  { method: "GET", path: "/policies", operationId: "listPolicies", handler: (r) => ({ policies: [...r.model.policies.values()].sort((a, b) => a.id - b.id).map((p) => renderPolicy(r.model, p, bool(r.query["overrides"]))) }) },
  {
    method: "POST",
    path: "/policies/search",
    operationId: "searchPolicies",
    handler: (r) => ({ policies: runSearch([...r.model.policies.values()].map((p) => renderPolicy(r.model, p, bool(r.query["overrides"]))), parseSearch(r.body, "policy")) }),
  },
  { method: "GET", path: "/policies/:policyID", operationId: "describePolicy", handler: (r) => renderPolicy(r.model, policyOf(r), bool(r.query["overrides"])) },
  { method: "POST", path: "/policies/:policyID", operationId: "modifyPolicy", handler: modifyPolicy },
  { method: "GET", path: "/policies/:policyID/intrusionprevention/assignments", operationId: "listIntrusionPreventionRuleIDsOnPolicy", handler: (r) => policyAssignments(r, policyOf(r)) },
  {
    method: "POST",
    path: "/policies/:policyID/intrusionprevention/assignments",
    operationId: "addIntrusionPreventionRuleIDsToPolicy",
    handler: (r) => {
      const p = policyOf(r);
      for (const ruleId of ruleIdsOf(r)) p.ruleIds.add(ruleId);
      return policyAssignments(r, p);
    },
  },
  {
    method: "PUT",
    path: "/policies/:policyID/intrusionprevention/assignments",
    operationId: "setIntrusionPreventionRuleIDsOnPolicy",
    handler: (r) => {
      const p = policyOf(r);
      p.ruleIds = new Set(ruleIdsOf(r));
      return policyAssignments(r, p);
    },
  },
  {
    method: "DELETE",
    path: "/policies/:policyID/intrusionprevention/assignments/:intrusionPreventionRuleID",
    operationId: "removeIntrusionPreventionRuleIDFromPolicy",
    handler: (r) => {
      const p = policyOf(r);
      p.ruleIds.delete(id(r.params, "intrusionPreventionRuleID"));
      return policyAssignments(r, p);
    },
  },
  { method: "GET", path: "/intrusionpreventionrules", operationId: "listIntrusionPreventionRules", handler: (r) => ({ intrusionPreventionRules: [...r.model.rules.values()].sort((a, b) => a.id - b.id).map(renderRule) }) },
  {
    method: "POST",
    path: "/intrusionpreventionrules/search",
    operationId: "searchIntrusionPreventionRules",
    handler: (r) => ({ intrusionPreventionRules: runSearch([...r.model.rules.values()].map(renderRule), parseSearch(r.body, "intrusionPreventionRule")) }),
  },
  { method: "GET", path: "/intrusionpreventionrules/:intrusionPreventionRuleID", operationId: "describeIntrusionPreventionRule", handler: (r) => renderRule(ruleOf(r)) },
  { method: "POST", path: "/scheduledtasks", operationId: "createScheduledTask", handler: createTask },
  { method: "GET", path: "/scheduledtasks", operationId: "listScheduledTasks", handler: (r) => ({ scheduledTasks: [...r.model.tasks.values()].map((t) => ({ ...t.body, ID: t.id })) }) },
  {
    method: "POST",
    path: "/scheduledtasks/search",
    operationId: "searchScheduledTasks",
    handler: (r) => ({ scheduledTasks: runSearch([...r.model.tasks.values()].map((t) => ({ ...t.body, ID: t.id })), parseSearch(r.body, "ScheduledTask")) }),
  },
  { method: "GET", path: "/scheduledtasks/:scheduledTaskID", operationId: "describeScheduledTask", handler: (r) => ({ ...taskOf(r).body, ID: taskOf(r).id }) },
  {
    method: "DELETE",
    path: "/scheduledtasks/:scheduledTaskID",
    operationId: "deleteScheduledTask",
    handler: (r) => {
      r.model.tasks.delete(taskOf(r).id);
      return undefined;
    },
  },
  {
    method: "GET",
    path: "/apikeys/current",
    operationId: "describeCurrentApiKey",
    handler: (r) => ({
      ID: 1,
      keyName: `wshub-${r.model.tenant.name}`,
      description: "sandbox key",
      locale: "en-US",
      roleID: 1,
      timeZone: "UTC",
      active: true,
      created: Date.parse("2026-01-01T00:00:00Z"),
      unsuccessfulSignInAttempts: 0,
      serviceAccount: false,
      tenantID: r.model.tenantId,
      tenantGUID: `00000000-0000-4000-8000-${String(r.model.tenantId).padStart(12, "0")}`,
      cloudOneAccountID: String(100000000000 + r.model.tenantId),
    }),
  },
];
