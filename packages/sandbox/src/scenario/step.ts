import { applyComputerDefaults, applyFindingDefaults, invalid, partValidator, schemaProblems } from "./load.js";
import type { FindingStatus, ScenarioComputer, ScenarioFinding, ScenarioIpsRule } from "./types.js";

/**
 * What changes between two runs (docs/sandbox.md, "Advancing a scenario"): new findings, findings whose status
 * changes (closed, suppressed, reopened), and new agents (computers) in a tenant. Findings and computers have the
 * scenario's own format and defaults; every finding the step touches gets `at` as its `updatedAt` (and
 * `lastObservedAt`), so the next incremental collection reads it. Rules published or revised (a new id is added, a
 * known one replaced) get `at` as their `lastUpdated`, as the vendor stamps a rule update. Assignments are not part of a step: make them
 * through the Workload Security API (or `wshub assign --apply`), as a person would.
 */
export interface ScenarioStep {
  at: string;
  addFindings: ScenarioFinding[];
  setFindingStatus: { findingArn: string; status: FindingStatus }[];
  addComputers: (ScenarioComputer & { tenant: string })[];
  putRules: (ScenarioIpsRule & { tenant: string })[];
}

const validFinding = partValidator("/properties/findings/items");
const validComputer = partValidator("/properties/workloadSecurity/properties/tenants/items/properties/computers/items");
const validRule = partValidator("/properties/workloadSecurity/properties/tenants/items/properties/ipsRules/items");
const STATUSES: readonly string[] = ["ACTIVE", "SUPPRESSED", "CLOSED"];

/** Validate a step (every problem at once, with its path) and apply the scenario defaults. */
export function parseScenarioStep(raw: unknown, now: Date = new Date()): ScenarioStep {
  const body = isObject(raw) ? raw : {};
  const problems: string[] = isObject(raw) ? [] : ["(root): must be an object"];
  const known = new Set(["at", "addFindings", "setFindingStatus", "addComputers", "putRules"]);
  for (const key of Object.keys(body)) if (!known.has(key)) problems.push(`/${key}: not a step field`);
  const at = typeof body["at"] === "string" && !Number.isNaN(Date.parse(body["at"])) ? body["at"] : undefined;
  if (body["at"] !== undefined && at === undefined) problems.push("/at: must be an ISO 8601 date-time");
  const stepAt = at ?? now.toISOString();
  const touched = (item: unknown) => (isObject(item) ? { ...item, updatedAt: stepAt } : item);
  const step: ScenarioStep = {
    at: stepAt,
    addFindings: listOf(body, "addFindings", problems, (item, path) =>
      validFinding(touched(item)) ? [] : schemaProblems(validFinding.errors, path),
    ).map(touched) as ScenarioFinding[],
    setFindingStatus: listOf(body, "setFindingStatus", problems, (item, path) =>
      isObject(item) && typeof item["findingArn"] === "string" && STATUSES.includes(String(item["status"]))
        ? []
        : [`${path}: needs findingArn and a status of ${STATUSES.join(", ")}`],
    ) as ScenarioStep["setFindingStatus"],
    addComputers: listOf(body, "addComputers", problems, (item, path) => {
      if (!isObject(item) || typeof item["tenant"] !== "string") return [`${path}/tenant: must name a tenant`];
      const { tenant: _tenant, ...computer } = item;
      return validComputer(computer) ? [] : schemaProblems(validComputer.errors, path);
    }) as ScenarioStep["addComputers"],
    putRules: listOf(body, "putRules", problems, (item, path) => {
      if (!isObject(item) || typeof item["tenant"] !== "string") return [`${path}/tenant: must name a tenant`];
      const { tenant: _tenant, ...rule } = item;
      return validRule(rule) ? [] : schemaProblems(validRule.errors, path);
    }) as ScenarioStep["putRules"],
  };
  if (problems.length > 0) throw invalid("scenario step", problems);
  const occurrences = new Map<string, number>();
  for (const finding of step.addFindings) applyFindingDefaults(finding, occurrences);
  for (const computer of step.addComputers) applyComputerDefaults(computer);
  return structuredClone(step);
}

function listOf(
  body: Record<string, unknown>,
  key: string,
  problems: string[],
  check: (item: unknown, path: string) => string[],
): unknown[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`/${key}: must be an array`);
    return [];
  }
  value.forEach((item, i) => problems.push(...check(item, `/${key}/${i}`)));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
