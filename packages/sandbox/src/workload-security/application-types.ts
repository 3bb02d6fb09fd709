import { readFileSync } from "node:fs";
import type { ScenarioApplicationType, ScenarioIpsRule, ScenarioTenant } from "../scenario/types.js";
import type { TenantModel } from "./model.js";
import { parseSearch, runSearch } from "./search.js";
import { ApiError } from "./errors.js";
import { computerOf, idParam, overridesOf, policyOf, type ApiRequest, type Route } from "./request.js";

const CATALOGUE_FILE = new URL("../../fixtures/workload-security/application-types.json", import.meta.url);
let builtIn: ScenarioApplicationType[] | undefined;

/** The sandbox's catalogue of vendor-style application types (a tenant's when its scenario declares none). */
export function builtInApplicationTypes(): ScenarioApplicationType[] {
  builtIn ??= (JSON.parse(readFileSync(CATALOGUE_FILE, "utf8")) as { applicationTypes: ScenarioApplicationType[] })
    .applicationTypes;
  return builtIn;
}

/** The tenant's catalogue: its own when the scenario declares one, else the built-in one. */
export function applicationTypesOf(tenant: Pick<ScenarioTenant, "applicationTypes">): ScenarioApplicationType[] {
  return tenant.applicationTypes ?? builtInApplicationTypes();
}

/** A rule with its application type resolved: the one it names, else the catalogue's first. */
export function withApplicationType(rule: ScenarioIpsRule, catalogue: ScenarioApplicationType[]): ScenarioIpsRule {
  return rule.applicationTypeId === undefined ? { ...rule, applicationTypeId: catalogue[0]?.id ?? 1 } : rule;
}

/** The distinct application types of some rules (a policy's or computer's `intrusionPrevention.applicationTypeIDs`). */
export function applicationTypeIdsOf(model: TenantModel, ruleIds: Iterable<number>): number[] {
  const ids = new Set([...ruleIds].flatMap((id) => model.rules.get(id)?.applicationTypeId ?? []));
  return [...ids].sort((a, b) => a - b);
}

/** An application type as the vendor's `applicationType` schema has it. */
export function renderApplicationType(type: ScenarioApplicationType): Record<string, unknown> {
  return {
    ID: type.id,
    name: type.name,
    description: type.description ?? "",
    minimumAgentVersion: "10.0.0.0",
    direction: type.direction ?? "incoming",
    protocol: type.protocol ?? "tcp",
    portType: type.ports && type.ports.length > 0 ? "multiple" : "any",
    ...(type.ports && type.ports.length > 0 ? { portMultiple: type.ports } : {}),
    recommendationsMode: "enabled",
  };
}

/** The catalogue never changes, so its rendering is computed once per tenant. */
function allTypes(r: ApiRequest): Record<string, unknown>[] {
  return r.model.cached(
    "applicationTypes",
    () => [...r.model.applicationTypes].sort((a, b) => a.id - b.id).map(renderApplicationType),
    true,
  );
}

/** The application types of the rules in force on a policy or computer (with `overrides=true`, its own rules). */
function typesOn(r: ApiRequest, ruleIds: Iterable<number>): { applicationTypes: Record<string, unknown>[] } {
  const ids = new Set(applicationTypeIdsOf(r.model, ruleIds));
  return { applicationTypes: allTypes(r).filter((t) => ids.has(Number(t["ID"]))) };
}

export const APPLICATION_TYPE_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/policies/:policyID/intrusionprevention/applicationtypes",
    operationId: "listIntrusionPreventionApplicationTypesOnPolicy",
    handler: (r) => {
      const policy = policyOf(r);
      return typesOn(r, overridesOf(r) ? policy.ruleIds : r.model.effectivePolicyRules(policy.id));
    },
  },
  {
    method: "GET",
    path: "/computers/:computerID/intrusionprevention/applicationtypes",
    operationId: "listIntrusionPreventionApplicationTypesOnComputer",
    handler: (r) => {
      const computer = computerOf(r);
      return typesOn(r, overridesOf(r) ? computer.ruleIds : r.model.effectiveComputerRules(computer));
    },
  },
  {
    method: "GET",
    path: "/applicationtypes",
    operationId: "listApplicationTypes",
    handler: (r) => ({ applicationTypes: allTypes(r) }),
  },
  {
    method: "POST",
    path: "/applicationtypes/search",
    operationId: "searchApplicationTypes",
    handler: (r) => ({ applicationTypes: runSearch(allTypes(r), parseSearch(r.body, "applicationType")) }),
  },
  {
    method: "GET",
    path: "/applicationtypes/:applicationTypeID",
    operationId: "describeApplicationType",
    handler: (r) => {
      const id = idParam(r, "applicationTypeID");
      const found = allTypes(r).find((t) => t["ID"] === id);
      if (!found) throw new ApiError(404, "The application type does not exist.");
      return found;
    },
  },
];
