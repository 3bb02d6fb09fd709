import { asCredentialsError } from "@wshub/aws";
import { isWshubError, type WshubError } from "@wshub/core";
import { exitCodeFor, EXIT } from "./exit-codes.js";

export interface FailureMode {
  /** Print the error as JSON on stdout (the command's output is JSON). */
  json: boolean;
  /** Print the stack of an unexpected error. */
  verbose: boolean;
}

export function failureMode(options: { output?: string; verbose?: boolean }): FailureMode {
  return { json: options.output === "json", verbose: options.verbose === true };
}

/**
 * Print an error for a person (or as JSON) and give the exit code its code maps to. A typed error prints its message,
 * code and hint; an unexpected one a short message, and its stack only with --verbose.
 */
export function reportFailure(error: unknown, mode: FailureMode): number {
  const typed = typedError(error);
  if (typed) {
    if (mode.json) process.stdout.write(`${JSON.stringify({ error: typed.toJSON() })}\n`);
    else {
      const hint = typeof typed.details["hint"] === "string" ? `  hint: ${typed.details["hint"]}\n` : "";
      process.stderr.write(`wshub: ${typed.message}\n  (${typed.code})\n${hint}`);
    }
    return exitCodeFor(typed.code);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (mode.json) process.stdout.write(`${JSON.stringify({ error: { code: "INTERNAL", message } })}\n`);
  else if (mode.verbose && error instanceof Error && error.stack)
    process.stderr.write(`wshub: unexpected error: ${message}\n${error.stack}\n`);
  else process.stderr.write(`wshub: unexpected error: ${message}\n  (run again with --verbose for the stack)\n`);
  return EXIT.INTERNAL;
}

/** The typed error to report: missing AWS credentials anywhere in the cause chain win, as they explain the rest. */
function typedError(error: unknown): WshubError | undefined {
  for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    const credentials = asCredentialsError(cause);
    if (credentials) return credentials;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return isWshubError(error) ? error : undefined;
}
