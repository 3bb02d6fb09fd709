import type { ScenarioFinding } from "../scenario/types.js";
import { validation } from "./errors.js";
import { stringMatcher } from "./filters.js";
import type { Inventory } from "./inventory.js";
import { visibleAccounts } from "./list-findings.js";
import { maxResultsOf, type Pager } from "./paging.js";
import { instanceTags } from "./render.js";

interface SeverityCounts {
  all: number;
  medium: number;
  high: number;
  critical: number;
}

function countSeverities(findings: ScenarioFinding[]): SeverityCounts {
  const counts = { all: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) {
    counts.all++;
    if (f.severity === "MEDIUM") counts.medium++;
    else if (f.severity === "HIGH") counts.high++;
    else if (f.severity === "CRITICAL") counts.critical++;
  }
  return counts;
}

/** ListFindingAggregations for ACCOUNT and AWS_EC2_INSTANCE, over ACTIVE findings. */
export function listFindingAggregations(
  inventory: Inventory,
  pager: Pager<Record<string, unknown>>,
  body: Record<string, unknown>,
  caller: string,
  delegatedAdmin: string,
) {
  const type = body["aggregationType"];
  const maxResults = maxResultsOf(body["maxResults"], 100, 100);
  const accountFilter = body["accountIds"] === undefined ? () => true : stringMatcher("accountIds", body["accountIds"]);
  const accounts = visibleAccounts(inventory, caller, delegatedAdmin, undefined).filter((id) => accountFilter(id));
  const active = (account: string) =>
    (inventory.findingsByAccount.get(account) ?? []).filter((f) => f.status === "ACTIVE");
  let compute: () => Record<string, unknown>[];
  if (type === "ACCOUNT") {
    compute = () =>
      accounts
        .map((accountId) => ({ accountId, findings: active(accountId) }))
        .filter((a) => a.findings.length > 0)
        .map(({ accountId, findings }) => ({
          accountAggregation: {
            accountId,
            severityCounts: countSeverities(findings),
            exploitAvailableCount: findings.filter((f) => f.exploitAvailable === "YES").length,
            fixAvailableCount: findings.filter((f) => f.fixAvailable === "YES").length,
          },
        }));
  } else if (type === "AWS_EC2_INSTANCE") {
    const request = ((body["aggregationRequest"] as Record<string, unknown> | undefined)?.["ec2InstanceAggregation"] ??
      {}) as Record<string, unknown>;
    const instanceFilter =
      request["instanceIds"] === undefined ? () => true : stringMatcher("instanceIds", request["instanceIds"]);
    compute = () => {
      const rows: Record<string, unknown>[] = [];
      for (const accountId of accounts) {
        const byInstance = new Map<string, ScenarioFinding[]>();
        for (const f of active(accountId)) {
          if (f.resourceType !== "AWS_EC2_INSTANCE" || !instanceFilter(f.resourceId)) continue;
          byInstance.set(f.resourceId, [...(byInstance.get(f.resourceId) ?? []), f]);
        }
        for (const [instanceId, findings] of [...byInstance].sort(([a], [b]) => (a < b ? -1 : 1))) {
          rows.push({
            ec2InstanceAggregation: {
              instanceId,
              accountId,
              ami: "ami-0123456789abcdef0",
              operatingSystem: "AMAZON_LINUX_2023",
              instanceTags: instanceTags(inventory.instanceById.get(instanceId)),
              severityCounts: countSeverities(findings),
              networkFindings: findings.filter((f) => f.type === "NETWORK_REACHABILITY").length,
            },
          });
        }
      }
      return rows;
    };
  } else {
    throw validation(
      `aggregationType ${String(type)} is not supported by this emulator (ACCOUNT, AWS_EC2_INSTANCE are)`,
      "aggregationType",
    );
  }
  const page = pager.page(
    { op: "ListFindingAggregations", caller, body: { ...body, nextToken: undefined, maxResults: undefined } },
    compute,
    body["nextToken"],
    maxResults,
  );
  return { aggregationType: type, responses: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
