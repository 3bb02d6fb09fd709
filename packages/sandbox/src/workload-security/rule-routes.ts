import { renderRule } from "./render.js";
import { ruleOf, type ApiRequest, type Route } from "./request.js";
import { parseSearch, runSearch } from "./search.js";

/** The catalog changes only by a scenario step (which drops this rendering), so it is computed once per tenant. */
function allRules(r: ApiRequest): Record<string, unknown>[] {
  return r.model.cached("rules", () => [...r.model.rules.values()].sort((a, b) => a.id - b.id).map(renderRule), true);
}

export const RULE_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/intrusionpreventionrules",
    operationId: "listIntrusionPreventionRules",
    handler: (r) => ({ intrusionPreventionRules: allRules(r) }),
  },
  {
    method: "POST",
    path: "/intrusionpreventionrules/search",
    operationId: "searchIntrusionPreventionRules",
    handler: (r) => ({
      intrusionPreventionRules: runSearch(allRules(r), parseSearch(r.body, "intrusionPreventionRule")),
    }),
  },
  {
    method: "GET",
    path: "/intrusionpreventionrules/:intrusionPreventionRuleID",
    operationId: "describeIntrusionPreventionRule",
    handler: (r) => renderRule(ruleOf(r)),
  },
];
