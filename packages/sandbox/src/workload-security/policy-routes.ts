import { applyIpsPatch, ipsPatchOf } from "./assignments.js";
import { ApiError } from "./errors.js";
import type { PolicyState } from "./model.js";
import { renderPolicy } from "./render.js";
import { objectBody, overridesOf, policyOf, type ApiRequest, type Route } from "./request.js";
import { parseSearch, runSearch } from "./search.js";

function renderAll(r: ApiRequest, overrides = overridesOf(r)): Record<string, unknown>[] {
  return [...r.model.policies.values()].sort((a, b) => a.id - b.id).map((p) => renderPolicy(r.model, p, overrides));
}

/** Partial modify: `name`, `description`, `parentID` (0 = top level; no cycles), `intrusionPrevention.state/.ruleIDs`. */
function modifyPolicy(r: ApiRequest) {
  const policy = policyOf(r);
  const body = objectBody(r);
  for (const field of ["name", "description"])
    if (body[field] !== undefined && typeof body[field] !== "string")
      throw new ApiError(400, `${field} must be a string.`);
  const parentId = body["parentID"];
  if (parentId !== undefined && !isValidParent(r, policy, parentId))
    throw new ApiError(400, `Invalid parentID ${JSON.stringify(parentId)}.`);
  const patch = ipsPatchOf(r.model, body);
  // Everything is validated: apply.
  if (body["name"] !== undefined) policy.name = body["name"] as string;
  if (body["description"] !== undefined) policy.description = body["description"] as string;
  if (parentId !== undefined) policy.parentId = parentId === 0 ? null : (parentId as number);
  applyIpsPatch(r.model, policy, patch);
  r.model.touch();
  return renderPolicy(r.model, policy, overridesOf(r));
}

/** Like computers: criteria see the effective policy, the answer honours `overrides`. */
function searchPolicies(r: ApiRequest) {
  const matched = new Set(runSearch(renderAll(r, false), parseSearch(r.body, "policy")).map((p) => p["ID"]));
  return { policies: renderAll(r).filter((p) => matched.has(p["ID"])) };
}

function isValidParent(r: ApiRequest, policy: PolicyState, parentId: unknown): boolean {
  if (parentId === 0) return true;
  if (!Number.isInteger(parentId) || !r.model.policies.has(parentId as number)) return false;
  // A policy cannot become a descendant of itself.
  return !r.model.policyChain(parentId as number).some((ancestor) => ancestor.id === policy.id);
}

export const POLICY_ROUTES: Route[] = [
  { method: "GET", path: "/policies", operationId: "listPolicies", handler: (r) => ({ policies: renderAll(r) }) },
  { method: "POST", path: "/policies/search", operationId: "searchPolicies", handler: searchPolicies },
  {
    method: "GET",
    path: "/policies/:policyID",
    operationId: "describePolicy",
    handler: (r) => renderPolicy(r.model, policyOf(r), overridesOf(r)),
  },
  { method: "POST", path: "/policies/:policyID", operationId: "modifyPolicy", handler: modifyPolicy },
];
