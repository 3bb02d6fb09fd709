import { evaluateConfigInvocation, newFleetCache, type ComplianceResult, type FleetCache } from "@wshub/hub";
import { hubContext, logger } from "../runtime.js";

/** Periodic invocations (one per account and rule) arriving within this window share one read of each fleet. */
const FLEET_REUSE_MS = 5 * 60_000;

let fleets: { cache: FleetCache; since: number } | undefined;

function sharedFleets(now: number): FleetCache {
  if (!fleets || now - fleets.since > FLEET_REUSE_MS) fleets = { cache: newFleetCache(), since: now };
  return fleets.cache;
}

/**
 * The AWS Config custom Lambda rule (organization rule on AWS::EC2::Instance, change-triggered and periodic).
 * A Workload Security outage throws COMPLIANCE_UNAVAILABLE: nothing is put, and the function's errors alarm.
 */
export async function handler(
  event: unknown,
): Promise<Omit<ComplianceResult, "evaluations"> & { evaluations: number }> {
  const ctx = await hubContext();
  const result = await evaluateConfigInvocation(ctx, event, { fleets: sharedFleets(Date.now()), actor: "config-rule" });
  logger.info("config rule evaluated", {
    rule: result.ruleName,
    accountId: result.accountId,
    evaluations: result.evaluations.length,
    puts: result.put.calls,
    skipped: result.skipped.length,
  });
  return { ...result, evaluations: result.evaluations.length };
}
