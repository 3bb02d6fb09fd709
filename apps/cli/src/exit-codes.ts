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
  [ERROR_CODES.NOT_IN_ORGANIZATION]: EXIT.CONFIG,
  [ERROR_CODES.SCENARIO_INVALID]: EXIT.CONFIG,
  [ERROR_CODES.RUN_FAILED]: EXIT.RUN_FAILED,
  [ERROR_CODES.GUARD_RAIL_EXCEEDED]: EXIT.GUARD_RAIL,
  [ERROR_CODES.RUN_NOT_FOUND]: EXIT.NOT_FOUND,
  [ERROR_CODES.NO_COVERAGE]: EXIT.NOT_FOUND,
  [ERROR_CODES.TENANT_AUTH_FAILED]: EXIT.TENANT,
  [ERROR_CODES.TENANT_UNREACHABLE]: EXIT.TENANT,
  [ERROR_CODES.TENANT_REQUEST_FAILED]: EXIT.TENANT,
  [ERROR_CODES.TENANT_NOT_PREPARED]: EXIT.TENANT,
  [ERROR_CODES.SECRET_UNAVAILABLE]: EXIT.TENANT,
  [ERROR_CODES.SECRET_INVALID]: EXIT.TENANT,
  [ERROR_CODES.AWS_CREDENTIALS_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.ORGANIZATION_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.ACCOUNT_UNREACHABLE]: EXIT.AWS,
  [ERROR_CODES.INSPECTOR_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.INVENTORY_UNAVAILABLE]: EXIT.AWS,
  [ERROR_CODES.STORE_FAILED]: EXIT.AWS,
  [ERROR_CODES.EMAIL_FAILED]: EXIT.AWS,
  [ERROR_CODES.EXPORT_FAILED]: EXIT.AWS,
  [ERROR_CODES.SANDBOX_FAILED]: EXIT.SANDBOX,
  [ERROR_CODES.SANDBOX_NOT_INSTALLED]: EXIT.SANDBOX,
  [ERROR_CODES.LEASE_HELD]: EXIT.BUSY,
  [ERROR_CODES.LEASE_LOST]: EXIT.BUSY,
  [ERROR_CODES.RUN_UNFINISHED]: EXIT.UNFINISHED,
  [ERROR_CODES.CONFIG_RULE_PARAMETERS_INVALID]: EXIT.CONFIG,
  [ERROR_CODES.CONFIG_INVOCATION_INVALID]: EXIT.USAGE,
  [ERROR_CODES.COMPLIANCE_UNAVAILABLE]: EXIT.TENANT,
  [ERROR_CODES.CONFIG_EVALUATIONS_FAILED]: EXIT.AWS,
};

/** What each exit code means, for `--help` and docs/cli.md. */
export const EXIT_MEANINGS: Record<ExitCode, string> = {
  [EXIT.OK]: "success",
  [EXIT.INTERNAL]: "unexpected error (run again with --verbose for the stack)",
  [EXIT.USAGE]: "usage: an unknown, missing or malformed option",
  [EXIT.CONFIG]: "configuration or scenario invalid or missing",
  [EXIT.RUN_FAILED]: "the run failed, or an assignment or rollback call failed",
  [EXIT.PARTIAL]: "partial run (some account or tenant failed) with --fail-on-partial",
  [EXIT.GUARD_RAIL]: "a guard rail stopped the change before any call",
  [EXIT.NOT_FOUND]: "run or coverage not found",
  [EXIT.TENANT]: "Workload Security refused or unreachable, or its API key unreadable or malformed",
  [EXIT.AWS]: "AWS unavailable: no credentials, or a service refused or failed",
  [EXIT.SANDBOX]: "the sandbox could not start",
  [EXIT.BUSY]: "another run, or a writer to the same tenant, holds the lease (see --wait)",
  [EXIT.UNFINISHED]: "the run is unfinished (running, interrupted or abandoned)",
  [EXIT.SIGINT]: "stopped by SIGINT; the run is recorded as interrupted",
  [EXIT.SIGTERM]: "stopped by SIGTERM; the run is recorded as interrupted",
};

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.INTERNAL;
}
