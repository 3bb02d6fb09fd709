import type { ScenarioFinding } from "../scenario/types.js";
import { validation } from "./errors.js";
import { dateMatcher, equalsValues, mapMatcher, numberMatcher, stringMatcher } from "./filters.js";
import { epochSeconds, type Inventory } from "./inventory.js";
import { maxResultsOf, type Pager } from "./paging.js";
import { instanceTags, renderFinding } from "./render.js";

type Predicate = (f: ScenarioFinding) => boolean;

/** FilterCriteria fields the emulator evaluates; any other field is rejected rather than silently ignored. */
function predicates(inventory: Inventory, criteria: Record<string, unknown>): Predicate[] {
  const list: Predicate[] = [];
  for (const [field, raw] of Object.entries(criteria)) {
    switch (field) {
      case "findingArn":
      case "awsAccountId":
      case "findingType":
      case "severity":
      case "findingStatus":
      case "title":
      case "resourceType":
      case "resourceId":
      case "vulnerabilityId":
      case "fixAvailable":
      case "exploitAvailable":
      case "vulnerabilitySource": {
        const match = stringMatcher(field, raw);
        const get = STRING_FIELDS[field] as (f: ScenarioFinding) => string | undefined;
        list.push((f) => match(get(f)));
        break;
      }
      case "updatedAt":
      case "firstObservedAt":
      case "lastObservedAt": {
        const match = dateMatcher(field, raw);
        list.push((f) => match(epochSeconds(f[field])));
        break;
      }
      case "inspectorScore": {
        const match = numberMatcher(field, raw);
        list.push((f) => match(f.inspectorScore));
        break;
      }
      case "resourceTags": {
        const match = mapMatcher(field, raw);
        list.push((f) => match(instanceTags(inventory.instanceById.get(f.resourceId))));
        break;
      }
      case "vulnerablePackages": {
        const names = (raw as { name?: { comparison: string; value: string } }[])
          .map((p) => p.name)
          .filter(Boolean) as { comparison: string; value: string }[];
        const match = names.length > 0 ? stringMatcher(`${field}.name`, names) : () => true;
        list.push((f) => match(f.packageName));
        break;
      }
      default:
        throw validation(`The filter ${field} is not supported by this emulator`, `filterCriteria.${field}`);
    }
  }
  return list;
}

const STRING_FIELDS: Record<string, (f: ScenarioFinding) => string | undefined> = {
  findingArn: (f) => f.findingArn,
  awsAccountId: (f) => f.accountId,
  findingType: (f) => f.type,
  severity: (f) => f.severity,
  findingStatus: (f) => f.status,
  title: (f) => f.title,
  resourceType: (f) => f.resourceType,
  resourceId: (f) => f.resourceId,
  vulnerabilityId: (f) => f.vulnerabilityId,
  fixAvailable: (f) => f.fixAvailable,
  exploitAvailable: (f) => f.exploitAvailable,
  vulnerabilitySource: (f) => (f.vulnerabilityId.startsWith("GHSA") ? "GITHUB" : "NVD"),
};

const SEVERITY_ORDER: Record<string, number> = {
  INFORMATIONAL: 0,
  UNTRIAGED: 0,
  LOW: 1,
  MEDIUM: 2,
  HIGH: 3,
  CRITICAL: 4,
};
const SORT_FIELDS: Record<string, (f: ScenarioFinding) => string | number> = {
  SEVERITY: (f) => SEVERITY_ORDER[f.severity] ?? 0,
  FIRST_OBSERVED_AT: (f) => f.firstObservedAt,
  LAST_OBSERVED_AT: (f) => f.lastObservedAt,
  AWS_ACCOUNT_ID: (f) => f.accountId,
  FINDING_STATUS: (f) => f.status,
  FINDING_TYPE: (f) => f.type,
  RESOURCE_TYPE: (f) => f.resourceType,
  VULNERABILITY_ID: (f) => f.vulnerabilityId,
  INSPECTOR_SCORE: (f) => f.inspectorScore ?? 0,
};

/** The accounts whose findings this request may touch: the caller's own, or any for the delegated administrator. */
export function visibleAccounts(
  inventory: Inventory,
  callerAccountId: string,
  delegatedAdmin: string,
  requested: string[] | undefined,
): string[] {
  const allowed = callerAccountId === delegatedAdmin ? inventory.accountIds : [callerAccountId];
  return requested ? allowed.filter((id) => requested.includes(id)) : allowed;
}

export function listFindings(
  inventory: Inventory,
  pager: Pager<ScenarioFinding>,
  body: Record<string, unknown>,
  caller: string,
  delegatedAdmin: string,
) {
  const maxResults = maxResultsOf(body["maxResults"], 100, 100);
  const criteria = (body["filterCriteria"] ?? {}) as Record<string, unknown>;
  const tests = predicates(inventory, criteria);
  const sort = body["sortCriteria"] as { field?: string; sortOrder?: string } | undefined;
  if (sort && (!sort.field || !SORT_FIELDS[sort.field] || !["ASC", "DESC"].includes(sort.sortOrder ?? "")))
    throw validation("sortCriteria is invalid", "sortCriteria");
  const accounts = visibleAccounts(inventory, caller, delegatedAdmin, equalsValues(criteria["awsAccountId"]));
  const page = pager.page(
    { op: "ListFindings", caller, criteria, sort },
    () => {
      const matched: ScenarioFinding[] = [];
      for (const account of accounts)
        for (const f of inventory.findingsByAccount.get(account) ?? []) if (tests.every((t) => t(f))) matched.push(f);
      if (sort?.field) {
        const key = SORT_FIELDS[sort.field] as (f: ScenarioFinding) => string | number;
        const direction = sort.sortOrder === "DESC" ? -1 : 1;
        matched.sort((a, b) => {
          const ka = key(a);
          const kb = key(b);
          return (ka < kb ? -1 : ka > kb ? 1 : 0) * direction || (a.findingArn < b.findingArn ? -1 : 1);
        });
      }
      return matched;
    },
    body["nextToken"],
    maxResults,
  );
  return {
    findings: page.items.map((f) => renderFinding(f, inventory.instanceById.get(f.resourceId))),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
