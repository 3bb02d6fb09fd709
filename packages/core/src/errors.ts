/**
 * Typed errors with a stable `code`. The code is part of wshub's contract: the CLI maps it to an exit code,
 * run records store it, and tests assert on it. Messages name the offending input but never carry secrets.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: "CONFIG_INVALID",
  CONFIG_NOT_FOUND: "CONFIG_NOT_FOUND",
  /** A warning (run records' `warnings`): the configuration names an account or OU the organization does not have. */
  NOT_IN_ORGANIZATION: "NOT_IN_ORGANIZATION",
  SCENARIO_INVALID: "SCENARIO_INVALID",
  /** No AWS credentials could be found for the hub (no environment keys, profile, SSO session or role). */
  AWS_CREDENTIALS_UNAVAILABLE: "AWS_CREDENTIALS_UNAVAILABLE",
  ORGANIZATION_UNAVAILABLE: "ORGANIZATION_UNAVAILABLE",
  ACCOUNT_UNREACHABLE: "ACCOUNT_UNREACHABLE",
  INSPECTOR_UNAVAILABLE: "INSPECTOR_UNAVAILABLE",
  INSPECTOR_REQUEST_INVALID: "INSPECTOR_REQUEST_INVALID",
  INVENTORY_UNAVAILABLE: "INVENTORY_UNAVAILABLE",
  SECRET_UNAVAILABLE: "SECRET_UNAVAILABLE",
  /** The secret holds something that cannot be an API key (control characters, whitespace, wrong length). */
  SECRET_INVALID: "SECRET_INVALID",
  TENANT_AUTH_FAILED: "TENANT_AUTH_FAILED",
  TENANT_UNREACHABLE: "TENANT_UNREACHABLE",
  TENANT_REQUEST_FAILED: "TENANT_REQUEST_FAILED",
  /** The deployed path: an account batch found no stored snapshot of its tenant (PrepareTenant did not finish). */
  TENANT_NOT_PREPARED: "TENANT_NOT_PREPARED",
  THROTTLED: "THROTTLED",
  STORE_FAILED: "STORE_FAILED",
  AUDIT_ITEM_EXISTS: "AUDIT_ITEM_EXISTS",
  RUN_NOT_FOUND: "RUN_NOT_FOUND",
  NO_COVERAGE: "NO_COVERAGE",
  REPORT_FAILED: "REPORT_FAILED",
  EMAIL_FAILED: "EMAIL_FAILED",
  EXPORT_FAILED: "EXPORT_FAILED",
  GUARD_RAIL_EXCEEDED: "GUARD_RAIL_EXCEEDED",
  ASSIGNMENT_FAILED: "ASSIGNMENT_FAILED",
  SANDBOX_FAILED: "SANDBOX_FAILED",
  /** `wshub demo`/`sandbox`/`generate` need the dev-only @wshub/sandbox package, which a production install lacks. */
  SANDBOX_NOT_INSTALLED: "SANDBOX_NOT_INSTALLED",
  RUN_FAILED: "RUN_FAILED",
  /** Another run (or a writer to the same tenant) holds the lease. */
  LEASE_HELD: "LEASE_HELD",
  /** The lease was lost while the work ran (its heartbeats failed and someone else took it). */
  LEASE_LOST: "LEASE_LOST",
  /** The run is still running, was interrupted or abandoned: its results are incomplete. */
  RUN_UNFINISHED: "RUN_UNFINISHED",
  /** The run was stopped by a signal (SIGINT/SIGTERM). */
  RUN_INTERRUPTED: "RUN_INTERRUPTED",
  /** The run's holder died without a word (its heartbeat expired); a later run recorded it. */
  RUN_ABANDONED: "RUN_ABANDONED",
  /** An AWS Config rule's parameters (InputParameters JSON) are not what the rule takes; names the parameter. */
  CONFIG_RULE_PARAMETERS_INVALID: "CONFIG_RULE_PARAMETERS_INVALID",
  /** An AWS Config rule invocation of a shape wshub does not know (recorded, never evaluated). */
  CONFIG_INVOCATION_INVALID: "CONFIG_INVOCATION_INVALID",
  /** Workload Security could not be read for a compliance evaluation: nothing was put, Config keeps the last result. */
  COMPLIANCE_UNAVAILABLE: "COMPLIANCE_UNAVAILABLE",
  /** AWS Config refused or failed a PutEvaluations / GetResourceConfigHistory call. */
  CONFIG_EVALUATIONS_FAILED: "CONFIG_EVALUATIONS_FAILED",
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export type ErrorDetails = Record<string, string | number | boolean | undefined | null | string[]>;

export class WshubError extends Error {
  override readonly name = "WshubError";
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isWshubError(value: unknown): value is WshubError {
  return value instanceof WshubError;
}

/** What a run record keeps of an error: code and message, never a stack or a request with headers. */
export interface ErrorSummary {
  code: ErrorCode;
  message: string;
}

export function summarizeError(error: unknown): ErrorSummary {
  if (isWshubError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: ERROR_CODES.INTERNAL, message: `${error.name}: ${error.message}` };
  return { code: ERROR_CODES.INTERNAL, message: String(error) };
}

/** The HTTP status a failed call was answered with, when its error carries one; 0 when there was no answer. */
export function answeredStatus(error: unknown): number {
  const status = isWshubError(error) ? error.details["status"] : undefined;
  return typeof status === "number" ? status : 0;
}
