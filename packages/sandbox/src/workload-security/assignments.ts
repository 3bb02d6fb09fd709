import { ApiError } from "./errors.js";
import type { ComputerState, PolicyState, Recommendations, TenantModel } from "./model.js";
import { NO_RECOMMENDATIONS, sorted } from "./model.js";
import { applicationTypeIdsOf } from "./application-types.js";
import { assignmentsAnswer } from "./render.js";
import {
  computerOf,
  idParam,
  objectBody,
  overridesOf,
  policyOf,
  ruleIdList,
  type ApiRequest,
  type Route,
} from "./request.js";
import type { IpsState } from "../scenario/types.js";

const IPS_STATES = new Set<IpsState>(["inherited", "prevent", "detect", "off"]);

/** The `intrusionPrevention` part of a modify body, validated before anything changes. */
export interface IpsPatch {
  state?: IpsState;
  ruleIds?: number[];
}

export function ipsPatchOf(model: TenantModel, body: Record<string, unknown>): IpsPatch {
  const ips = body["intrusionPrevention"];
  if (ips === undefined) return {};
  if (typeof ips !== "object" || ips === null || Array.isArray(ips))
    throw new ApiError(400, "intrusionPrevention must be an object.");
  const { state, ruleIDs } = ips as { state?: unknown; ruleIDs?: unknown };
  const patch: IpsPatch = {};
  if (state !== undefined) {
    if (!IPS_STATES.has(state as IpsState))
      throw new ApiError(400, `Invalid intrusionPrevention.state ${JSON.stringify(state)}.`);
    patch.state = state as IpsState;
  }
  if (ruleIDs !== undefined) {
    patch.ruleIds = ruleIdList(ruleIDs, "intrusionPrevention.ruleIDs");
    model.checkRules(patch.ruleIds);
  }
  return patch;
}

export function applyIpsPatch(model: TenantModel, owner: ComputerState | PolicyState, patch: IpsPatch): void {
  if (patch.state !== undefined) owner.ipsState = patch.state;
  if (patch.ruleIds !== undefined) model.assignRules(owner, patch.ruleIds, "set");
}

type Owner = ComputerState | PolicyState;

interface OwnerKind {
  collection: "computers" | "policies";
  idName: string;
  label: "Computer" | "Policy";
  of: (r: ApiRequest) => Owner;
  effective: (model: TenantModel, owner: Owner) => number[];
  scanDate: (owner: Owner) => number | undefined;
  recommendations: (model: TenantModel, owner: Owner) => Recommendations;
}

const COMPUTER: OwnerKind = {
  collection: "computers",
  idName: "computerID",
  label: "Computer",
  of: computerOf,
  effective: (model, owner) => model.effectiveComputerRules(owner as ComputerState),
  scanDate: (owner) => (owner as ComputerState).lastRecommendationScanDate,
  recommendations: (model, owner) => model.recommendations(owner as ComputerState),
};

const POLICY: OwnerKind = {
  collection: "policies",
  idName: "policyID",
  label: "Policy",
  of: policyOf,
  effective: (model, owner) => model.effectivePolicyRules(owner.id),
  // Recommendation scans run on computers; a policy never has one of its own.
  scanDate: () => undefined,
  recommendations: () => NO_RECOMMENDATIONS,
};

/** `assignedRuleIDs`: effective (inherited included) by default, direct only with `overrides=true`. */
function answer(kind: OwnerKind, r: ApiRequest, owner: Owner) {
  const ruleIds = overridesOf(r) ? sorted(owner.ruleIds) : kind.effective(r.model, owner);
  return {
    ...assignmentsAnswer(ruleIds, kind.scanDate(owner), kind.recommendations(r.model, owner)),
    assignedApplicationTypeIDs: applicationTypeIdsOf(r.model, ruleIds),
  };
}

function bodyRuleIds(r: ApiRequest): number[] {
  const body = objectBody(r);
  return body["ruleIDs"] === undefined ? [] : ruleIdList(body["ruleIDs"]);
}

function routesFor(kind: OwnerKind): Route[] {
  const path = `/${kind.collection}/:${kind.idName}/intrusionprevention/assignments`;
  return [
    {
      method: "GET",
      path,
      operationId: `listIntrusionPreventionRuleIDsOn${kind.label}`,
      handler: (r) => answer(kind, r, kind.of(r)),
    },
    {
      method: "POST",
      path,
      operationId: `addIntrusionPreventionRuleIDsTo${kind.label}`,
      handler: (r) => {
        const owner = kind.of(r);
        r.model.assignRules(owner, bodyRuleIds(r), "add");
        return answer(kind, r, owner);
      },
    },
    {
      method: "PUT",
      path,
      operationId: `setIntrusionPreventionRuleIDsOn${kind.label}`,
      handler: (r) => {
        const owner = kind.of(r);
        r.model.assignRules(owner, bodyRuleIds(r), "set");
        return answer(kind, r, owner);
      },
    },
    {
      method: "DELETE",
      path: `${path}/:intrusionPreventionRuleID`,
      operationId: `removeIntrusionPreventionRuleIDFrom${kind.label}`,
      handler: (r) => {
        const owner = kind.of(r);
        r.model.unassignRule(owner, idParam(r, "intrusionPreventionRuleID"));
        return answer(kind, r, owner);
      },
    },
  ];
}

export const ASSIGNMENT_ROUTES: Route[] = [...routesFor(COMPUTER), ...routesFor(POLICY)];
