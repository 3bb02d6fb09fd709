import { epochSeconds, type Inventory } from "./inventory.js";
import { validation } from "./errors.js";
import { stringMatcher } from "./filters.js";
import { visibleAccounts } from "./list-findings.js";
import { maxResultsOf, type Pager } from "./paging.js";
import { instanceTags } from "./render.js";

const COVERAGE_COMPARISONS = new Set(["EQUALS", "NOT_EQUALS"]);
const SUPPORTED = new Set(["accountId", "resourceId", "resourceType", "scanType", "scanStatusCode"]);

/** ListCoverage: every EC2 instance of the visible accounts (with or without findings), and the other resources with findings. */
export function listCoverage(
  inventory: Inventory,
  pager: Pager<Record<string, unknown>>,
  body: Record<string, unknown>,
  caller: string,
  delegatedAdmin: string,
) {
  const maxResults = maxResultsOf(body["maxResults"], 200, 200);
  const criteria = (body["filterCriteria"] ?? {}) as Record<string, unknown>;
  const matchers = Object.entries(criteria).map(([field, raw]) => {
    if (!SUPPORTED.has(field))
      throw validation(`The coverage filter ${field} is not supported by this emulator`, `filterCriteria.${field}`);
    return { field, match: stringMatcher(field, raw, COVERAGE_COMPARISONS) };
  });
  const accounts = visibleAccounts(inventory, caller, delegatedAdmin, undefined);
  const page = pager.page(
    { op: "ListCoverage", caller, criteria },
    () => {
      const resources: Record<string, unknown>[] = [];
      for (const accountId of accounts) {
        for (const instance of inventory.instancesByAccount.get(accountId) ?? []) {
          resources.push({
            resourceType: "AWS_EC2_INSTANCE",
            resourceId: instance.instanceId,
            accountId,
            scanType: "PACKAGE",
            scanStatus: { statusCode: "ACTIVE", reason: "SUCCESSFUL" },
            resourceMetadata: {
              ec2: { tags: instanceTags(instance), amiId: "ami-0123456789abcdef0", platform: "LINUX" },
            },
            lastScannedAt: epochSeconds("2026-11-16T09:00:00Z"),
            scanMode: "EC2_SSM_AGENT_BASED",
          });
        }
        const others = new Set<string>();
        for (const f of inventory.findingsByAccount.get(accountId) ?? []) {
          if (f.resourceType === "AWS_EC2_INSTANCE" || others.has(f.resourceId)) continue;
          others.add(f.resourceId);
          resources.push({
            resourceType: f.resourceType,
            resourceId: f.resourceId,
            accountId,
            scanType: f.resourceType === "AWS_LAMBDA_FUNCTION" ? "PACKAGE" : "PACKAGE",
            scanStatus: { statusCode: "ACTIVE", reason: "SUCCESSFUL" },
          });
        }
      }
      const value = (r: Record<string, unknown>, field: string) =>
        field === "scanStatusCode" ? (r["scanStatus"] as { statusCode: string }).statusCode : (r[field] as string);
      return resources.filter((r) => matchers.every(({ field, match }) => match(value(r, field))));
    },
    body["nextToken"],
    maxResults,
  );
  return { coveredResources: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
