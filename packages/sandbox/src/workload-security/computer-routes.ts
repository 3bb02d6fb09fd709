import { applyIpsPatch, ipsPatchOf } from "./assignments.js";
import { ApiError } from "./errors.js";
import type { ComputerState } from "./model.js";
import { sorted } from "./model.js";
import { expandSections, renderComputer, renderRule } from "./render.js";
import { computerOf, expandOf, objectBody, overridesOf, ruleOf, type ApiRequest, type Route } from "./request.js";
import { parseSearch, runSearch } from "./search.js";

const ALL = expandSections(["all"]);

function render(r: ApiRequest, computer: ComputerState): Record<string, unknown> {
  return renderComputer(r.model, computer, expandOf(r), overridesOf(r));
}

function listComputers(r: ApiRequest) {
  return { computers: [...r.model.computers.values()].sort((a, b) => a.id - b.id).map((c) => render(r, c)) };
}

/**
 * Criteria are tested against the full effective object (so `ec2VirtualMachineSummary/instanceID` is searchable
 * whatever `expand` says); the answer carries only what `expand` asked for. Ascending `ID` order always.
 */
function searchComputers(r: ApiRequest) {
  const search = parseSearch(r.body, "computer");
  const sections = expandOf(r);
  const overrides = overridesOf(r);
  const full = r.model.cached("computers:all", () =>
    [...r.model.computers.values()].sort((a, b) => a.id - b.id).map((c) => renderComputer(r.model, c, ALL, false)),
  );
  const matched = runSearch(full, search);
  const answer = (w: Record<string, unknown>) =>
    overrides
      ? renderComputer(r.model, r.model.computers.get(Number(w["ID"])) as ComputerState, sections, true)
      : withSections(w, sections);
  return { computers: matched.map(answer) };
}

/** The full effective rendering cut down to the `expand` sections: the same as rendering them, without the cost. */
function withSections(full: Record<string, unknown>, sections: Set<string>): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) if (!ALL.has(key) || sections.has(key)) answer[key] = value;
  return answer;
}

/** Partial modify: `policyID` (0 = none), `displayName`, `description`, `intrusionPrevention.state/.ruleIDs`. */
function modifyComputer(r: ApiRequest) {
  const computer = computerOf(r);
  const body = objectBody(r);
  const policyId = body["policyID"];
  if (
    policyId !== undefined &&
    (!Number.isInteger(policyId) || (policyId !== 0 && !r.model.policies.has(policyId as number)))
  )
    throw new ApiError(400, `The policy ${JSON.stringify(policyId)} does not exist.`);
  for (const field of ["displayName", "description"])
    if (body[field] !== undefined && typeof body[field] !== "string")
      throw new ApiError(400, `${field} must be a string.`);
  const patch = ipsPatchOf(r.model, body);
  // Everything is validated: apply.
  if (policyId !== undefined) computer.policyId = policyId as number;
  if (body["displayName"] !== undefined) computer.displayName = body["displayName"] as string;
  if (body["description"] !== undefined) computer.description = body["description"] as string;
  applyIpsPatch(r.model, computer, patch);
  r.model.touch();
  return render(r, computer);
}

/** The full rule objects effective on a computer (`overrides=true`: assigned directly only). */
function rulesOnComputer(r: ApiRequest): number[] {
  const computer = computerOf(r);
  return overridesOf(r) ? sorted(computer.ruleIds) : r.model.effectiveComputerRules(computer);
}

export const COMPUTER_ROUTES: Route[] = [
  { method: "GET", path: "/computers", operationId: "listComputers", handler: listComputers },
  { method: "POST", path: "/computers/search", operationId: "searchComputers", handler: searchComputers },
  {
    method: "GET",
    path: "/computers/:computerID",
    operationId: "describeComputer",
    handler: (r) => render(r, computerOf(r)),
  },
  { method: "POST", path: "/computers/:computerID", operationId: "modifyComputer", handler: modifyComputer },
  {
    method: "GET",
    path: "/computers/:computerID/intrusionprevention/rules",
    operationId: "listIntrusionPreventionRulesOnComputer",
    handler: (r) => ({
      intrusionPreventionRules: rulesOnComputer(r).flatMap((ruleId) => {
        const rule = r.model.rules.get(ruleId);
        return rule ? [renderRule(rule)] : [];
      }),
    }),
  },
  {
    method: "GET",
    path: "/computers/:computerID/intrusionprevention/rules/:intrusionPreventionRuleID",
    operationId: "describeIntrusionPreventionRuleOnComputer",
    handler: (r) => {
      const ruleIds = rulesOnComputer(r);
      const rule = ruleOf(r);
      if (!ruleIds.includes(rule.id)) throw new ApiError(404, "The intrusion prevention rule does not exist.");
      return renderRule(rule);
    },
  },
];
