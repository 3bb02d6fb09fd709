import { APPLICATION_TYPE_ROUTES } from "./application-types.js";
import { ASSIGNMENT_ROUTES } from "./assignments.js";
import { COMPUTER_ROUTES } from "./computer-routes.js";
import { POLICY_ROUTES } from "./policy-routes.js";
import type { ApiRequest, Route } from "./request.js";
import { RULE_ROUTES } from "./rule-routes.js";
import { TASK_ROUTES } from "./tasks.js";

const CREATED = Date.parse("2026-01-01T00:00:00Z");

/** The spec's `apiKeyCurrent` for the key's tenant; the secret itself is never returned. */
function currentApiKey(r: ApiRequest) {
  const tenantId = r.model.tenantId;
  return {
    ID: 1,
    keyName: `wshub-${r.model.tenant.name}`,
    description: "sandbox key",
    locale: "en-US",
    roleID: 1,
    timeZone: "UTC",
    active: true,
    created: CREATED,
    unsuccessfulSignInAttempts: 0,
    serviceAccount: false,
    roleURN: `urn:tmds:identity:us-east-ds-1:${tenantId}:role/Full Access`,
    tenantID: tenantId,
    tenantGUID: `00000000-0000-4000-8000-${String(tenantId).padStart(12, "0")}`,
    cloudOneAccountID: String(100000000000 + tenantId),
  };
}

/** Every operation the simulator serves, below `/api`. */
export const ROUTES: Route[] = [
  ...COMPUTER_ROUTES,
  ...POLICY_ROUTES,
  ...ASSIGNMENT_ROUTES,
  ...RULE_ROUTES,
  ...TASK_ROUTES,
  ...APPLICATION_TYPE_ROUTES,
  { method: "GET", path: "/apikeys/current", operationId: "describeCurrentApiKey", handler: currentApiKey },
];
