import { jsonFail, jsonOk, parseJsonBody, type JsonAnswer, type JsonBody } from "../json-answer.js";
import type { Caller } from "../types.js";
import type { ConfigStore, StoredEvaluation } from "./store.js";

export type ConfigAnswer = JsonAnswer;

type Body = JsonBody;

/** Config's caps, as botocore 1.43.11 models them. */
const MAX_EVALUATIONS = 100;
const MAX_ANNOTATION = 256;
const COMPLIANCE_TYPES = new Set(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
const DEFAULT_LIMIT = 100;

/**
 * The Config operations moto lacks (PutEvaluations without TestMode, the compliance reads) and
 * GetResourceConfigHistory for the EC2 instances moto does not record; undefined: hand the call to moto.
 */
export function serveConfig(
  store: ConfigStore,
  request: { operation: string; body: Buffer; caller: Caller; region: string },
): ConfigAnswer | undefined {
  const body = parseJsonBody(request.body);
  const where = { accountId: request.caller.accountId, region: request.region };
  if (request.operation === "PutEvaluations") return putEvaluations(store, body, where);
  if (request.operation === "GetComplianceDetailsByConfigRule") return complianceDetails(store, body, where);
  if (request.operation === "DescribeComplianceByResource") return complianceByResource(store, body, where);
  if (request.operation === "GetResourceConfigHistory") return history(store, body, where);
  return undefined;
}

function putEvaluations(store: ConfigStore, body: Body, where: { accountId: string; region: string }): ConfigAnswer {
  const token = String(body["ResultToken"] ?? "");
  const grant = store.grantOf(token);
  if (!grant || grant.accountId !== where.accountId || grant.region !== where.region)
    return jsonFail("InvalidResultTokenException", "The specified ResultToken is not valid.");
  const evaluations = Array.isArray(body["Evaluations"]) ? (body["Evaluations"] as Body[]) : [];
  if (evaluations.length > MAX_EVALUATIONS)
    return jsonFail("ValidationException", `Member must have length less than or equal to ${MAX_EVALUATIONS}`);
  const invalid = evaluations.map(problemOf).find((p) => p !== undefined);
  if (invalid) return jsonFail("ValidationException", invalid);
  store.putCalls++;
  if (body["TestMode"] !== true) for (const e of evaluations) store.put(stored(e, grant.ruleName, where));
  return jsonOk({ FailedEvaluations: [] });
}

function problemOf(e: Body): string | undefined {
  const type = String(e["ComplianceType"] ?? "");
  if (!COMPLIANCE_TYPES.has(type))
    return type === "INSUFFICIENT_DATA"
      ? "A Lambda function for a custom Config rule cannot pass an INSUFFICIENT_DATA value."
      : `ComplianceType ${type} is not valid`;
  const annotation = e["Annotation"];
  if (
    annotation !== undefined &&
    (typeof annotation !== "string" || annotation.length < 1 || annotation.length > MAX_ANNOTATION)
  )
    return `Annotation must have length between 1 and ${MAX_ANNOTATION}`;
  if (!e["ComplianceResourceType"] || !e["ComplianceResourceId"] || e["OrderingTimestamp"] === undefined)
    return "ComplianceResourceType, ComplianceResourceId and OrderingTimestamp are required";
  return undefined;
}

function stored(e: Body, ruleName: string, where: { accountId: string; region: string }): StoredEvaluation {
  const evaluation: StoredEvaluation = {
    ruleName,
    ...where,
    resourceType: String(e["ComplianceResourceType"]),
    resourceId: String(e["ComplianceResourceId"]),
    complianceType: String(e["ComplianceType"]),
    orderingTimestamp: epochSeconds(e["OrderingTimestamp"]),
    recordedAt: Date.now() / 1000,
  };
  if (typeof e["Annotation"] === "string") evaluation.annotation = e["Annotation"];
  return evaluation;
}

function complianceDetails(store: ConfigStore, body: Body, where: { accountId: string; region: string }): ConfigAnswer {
  const types = Array.isArray(body["ComplianceTypes"]) ? body["ComplianceTypes"].map(String) : undefined;
  const all = store
    .byRule(where, String(body["ConfigRuleName"] ?? ""))
    .filter((e) => types === undefined || types.includes(e.complianceType));
  const { page, next } = paged(all, body);
  return jsonOk({ EvaluationResults: page.map(evaluationResult), ...(next ? { NextToken: next } : {}) });
}

function evaluationResult(e: StoredEvaluation): Body {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ConfigRuleName: e.ruleName, ResourceType: e.resourceType, ResourceId: e.resourceId },
      OrderingTimestamp: e.orderingTimestamp,
    },
    ComplianceType: e.complianceType,
    ResultRecordedTime: e.recordedAt,
    ConfigRuleInvokedTime: e.recordedAt,
    ...(e.annotation === undefined ? {} : { Annotation: e.annotation }),
  };
}

/** One compliance per resource over every rule: NON_COMPLIANT if any rule says so, then COMPLIANT, else NOT_APPLICABLE. */
function complianceByResource(
  store: ConfigStore,
  body: Body,
  where: { accountId: string; region: string },
): ConfigAnswer {
  const byResource = new Map<string, StoredEvaluation[]>();
  for (const e of store.all(where)) {
    if (body["ResourceType"] !== undefined && e.resourceType !== body["ResourceType"]) continue;
    if (body["ResourceId"] !== undefined && e.resourceId !== body["ResourceId"]) continue;
    byResource.set(e.resourceId, [...(byResource.get(e.resourceId) ?? []), e]);
  }
  const rows = [...byResource.values()].map((list) => ({
    ResourceType: list[0]?.resourceType,
    ResourceId: list[0]?.resourceId,
    Compliance: { ComplianceType: worst(list.map((e) => e.complianceType)) },
  }));
  const { page, next } = paged(rows, body);
  return jsonOk({ ComplianceByResources: page, ...(next ? { NextToken: next } : {}) });
}

function worst(types: string[]): string {
  if (types.includes("NON_COMPLIANT")) return "NON_COMPLIANT";
  return types.includes("COMPLIANT") ? "COMPLIANT" : "NOT_APPLICABLE";
}

function history(
  store: ConfigStore,
  body: Body,
  where: { accountId: string; region: string },
): ConfigAnswer | undefined {
  const resource = {
    ...where,
    resourceType: String(body["resourceType"] ?? ""),
    resourceId: String(body["resourceId"] ?? ""),
  };
  const laterTime = body["laterTime"] === undefined ? Date.now() : epochSeconds(body["laterTime"]) * 1000;
  const item = store.history(resource, laterTime);
  if (!item) return undefined;
  return jsonOk({
    configurationItems: [
      {
        version: "1.3",
        accountId: item.accountId,
        configurationItemCaptureTime: Date.parse(item.captureTime) / 1000,
        configurationItemStatus: item.status,
        arn: `arn:aws:ec2:${item.region}:${item.accountId}:instance/${item.resourceId}`,
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        awsRegion: item.region,
        configuration: JSON.stringify(item.configuration),
      },
    ],
  });
}

function paged<T>(items: T[], body: Body): { page: T[]; next?: string } {
  const limit = typeof body["Limit"] === "number" && body["Limit"] > 0 ? body["Limit"] : DEFAULT_LIMIT;
  const start = Number(body["NextToken"] ?? 0) || 0;
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { page, next: String(start + limit) } : { page };
}

function epochSeconds(value: unknown): number {
  if (typeof value === "number") return value;
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? 0 : parsed / 1000;
}
