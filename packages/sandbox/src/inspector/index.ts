import type { InspectorHandler } from "../aws/types.js";
import type { FaultPlan } from "../control/faults.js";
import type { CallCounter } from "../control/stats.js";
import type { Scenario, ScenarioFinding } from "../scenario/types.js";
import { listFindingAggregations } from "./aggregations.js";
import { errorResponse, InspectorError, requestId, validation } from "./errors.js";
import { equalsValues } from "./filters.js";
import { Inventory } from "./inventory.js";
import { listCoverage } from "./list-coverage.js";
import { listFindings } from "./list-findings.js";
import { Pager } from "./paging.js";

export interface InspectorEmulatorOptions {
  scenario: Scenario;
  /** The Inspector delegated administrator (the hub account): it may read every account's findings. */
  delegatedAdminAccountId: string;
  /** Calls are counted by the AWS front that hands them over; kept for callers that host the handler themselves. */
  counter?: CallCounter;
  faults: FaultPlan;
  /** The findings and instances served; built from the scenario when absent (the sandbox passes its own to advance it). */
  inventory?: Inventory;
}

const ROUTES: Record<string, string> = {
  "POST /findings/list": "ListFindings",
  "POST /findings/aggregation/list": "ListFindingAggregations",
  "POST /coverage/list": "ListCoverage",
};

/**
 * Amazon Inspector2's read API over a scenario (REST-JSON): ListFindings, ListFindingAggregations and ListCoverage,
 * with AWS's visibility (a member sees its own account, the delegated administrator every account), filters,
 * paging and validation. The AWS front resolves the caller from the SigV4 key and hands each request here.
 */
export function createInspectorEmulator(options: InspectorEmulatorOptions): InspectorHandler {
  const inventory = options.inventory ?? new Inventory(options.scenario);
  const findingPages = new Pager<ScenarioFinding>();
  const otherPages = new Pager<Record<string, unknown>>();
  const admin = options.delegatedAdminAccountId;
  return async (request, body, caller) => {
    const path = (request.url ?? "/").split("?")[0] as string;
    const operation = ROUTES[`${request.method} ${path}`];
    try {
      if (!operation)
        throw new InspectorError(
          404,
          "UnknownOperationException",
          `${request.method} ${path} is not an operation this emulator serves`,
        );
      const input = parseBody(body);
      await applyFaults(options.faults, operation, [
        caller.accountId,
        ...(equalsValues((input["filterCriteria"] as Record<string, unknown> | undefined)?.["awsAccountId"]) ?? []),
      ]);
      const output =
        operation === "ListFindings"
          ? listFindings(inventory, findingPages, input, caller.accountId, admin)
          : operation === "ListCoverage"
            ? listCoverage(inventory, otherPages, input, caller.accountId, admin)
            : listFindingAggregations(inventory, otherPages, input, caller.accountId, admin);
      return {
        status: 200,
        headers: { "content-type": "application/json", "x-amzn-requestid": requestId() },
        body: JSON.stringify(output),
      };
    } catch (error) {
      if (error instanceof InspectorError) return errorResponse(error);
      return errorResponse(new InspectorError(500, "InternalServerException", (error as Error).message));
    }
  };
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    /* below */
  }
  throw validation("The request body is not a JSON object");
}

/** Per-account knobs: the caller's account, and each account a delegated administrator asks about. */
async function applyFaults(faults: FaultPlan, operation: string, accounts: string[]): Promise<void> {
  for (const account of new Set(accounts)) {
    const decision = faults.decide("inspector2", account, operation);
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (decision.kind === "throttle")
      throw new InspectorError(429, "ThrottlingException", "Rate exceeded", { retryAfterSeconds: 1 });
    if (decision.kind === "error")
      throw decision.status === 429
        ? new InspectorError(429, "ThrottlingException", "Rate exceeded")
        : new InspectorError(
            decision.status,
            decision.status === 503 ? "ServiceUnavailableException" : "InternalServerException",
            "Injected failure",
          );
  }
}
