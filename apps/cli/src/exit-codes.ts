import { ERROR_CODES, type ErrorCode } from "@wshub/core";

/**
 * Exit codes are part of the CLI's contract (scripts branch on them); docs/cli.md lists them.
 * 0 success · 1 unexpected · 2 usage · 3 configuration · 4 run failed · 5 partial run (--fail-on-partial) ·
 * 6 guard rail · 7 not found · 8 Workload Security refused/unreachable · 9 AWS unavailable · 10 sandbox ·
 * 11 another run or writer holds the lease · 12 the run is unfinished (running, interrupted, abandoned) ·
 * 130 / 143 stopped by SIGINT / SIGTERM (the run is recorded as interrupted)
 */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  RUN_FAILED: 4,
  PARTIAL: 5,
  GUARD_RAIL: 6,
  NOT_FOUND: 7,
  TENANT: 8,
  AWS: 9,
  SANDBOX: 10,
  BUSY: 11,
  UNFINISHED: 12,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  [ERROR_CODES.CONFIG_INVALID]: EXIT.CONFIG,
  [ERROR_CODES.CONFIG_NOT_FOUND]: EXIT.CONFIG,
  [ERROR_CODES.SCENARIO_INVALID]: EXIT.CONFIG,
  [ERROR_CODES.RUN_FAILED]: EXIT.RUN_FAILED,
  [ERROR_CODES.GUARD_RAIL_EXCEEDED]: EXIT.GUARD_RAIL,
  [ERROR_CODES.RUN_NOT_FOUND]: EXIT.NOT_FOUND,
  [ERROR_CODES.NO_COVERAGE]: EXIT.NOT_FOUND,
  [ERROR_CODES.TENANT_AUTH_FAILED]: EXIT.TENANT,
  [ERROR_CODES.TENANT_UNREACHABLE]: EXIT.TENANT,
  [ERROR_CODES.TENANT_REQUEST_FAILED]: EXIT.TENANT,
  [ERROR_CODES.SECRET_UNAVAILABLE]: EXIT.TENANT,
  [ERROR_CODES.ORGANIZATION_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.ACCOUNT_UNREACHABLE]: EXIT.AWS,
  [ERROR_CODES.INSPECTOR_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.INVENTORY_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.STORE_FAILED]: EXIT.AWS,
  [ERROR_CODES.EMAIL_FAILED]: EXIT.AWS,
  [ERROR_CODES.EXPORT_FAILED]: EXIT.AWS,
  [ERROR_CODES.SANDBOX_FAILED]: EXIT.SANDBOX,
  [ERROR_CODES.LEASE_HELD]: EXIT.BUSY,
  [ERROR_CODES.LEASE_LOST]: EXIT.BUSY,
  [ERROR_CODES.RUN_UNFINISHED]: EXIT.UNFINISHED,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.INTERNAL;
}
