import { FIX_FOR_STATUS, type CoverageStatus } from "@wshub/core";

/** When each status applies, in an account owner's words (coverage.md, "The statuses"). */
export const STATUS_MEANING: Record<CoverageStatus, string> = {
  "no-tenant": "the account maps to no Workload Security tenant",
  "no-agent": "no Workload Security computer carries this instance id",
  "no-rule": "no IPS rule of the tenant lists this vulnerability",
  "rule-available": "an IPS rule lists it, but none is assigned to the computer",
  inactive: "a covering rule is assigned, but IPS is off or the agent is not running",
  "detect-only": "a covering rule is assigned, but IPS only detects (detect mode or detect-only rules)",
  protected: "a covering rule is assigned and IPS prevents",
};

/** One line per status: what it means and what would fix it. */
export function statusExplanation(status: CoverageStatus): string {
  const fix = FIX_FOR_STATUS[status];
  return fix === "" ? `${STATUS_MEANING[status]}.` : `${STATUS_MEANING[status]}. Fix: ${fix}.`;
}

/** "12.3 %" or "n/a" when there is nothing to divide by. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "n/a" : `${value.toFixed(1)} %`;
}
