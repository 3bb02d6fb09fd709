/** Helpers to read AWS SDK v3 service errors without importing each client's exception classes. */
export function awsErrorName(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const name = (error as { name?: unknown; Code?: unknown }).name ?? (error as { Code?: unknown }).Code;
    if (typeof name === "string") return name;
  }
  return "UnknownError";
}

export function awsErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"]);

export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED.has(awsErrorName(error));
}

export function isThrottling(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "ThrottlingException" || name === "TooManyRequestsException" || name === "Throttling";
}
