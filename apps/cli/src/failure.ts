import { isWshubError } from "@wshub/core";
import { exitCodeFor, EXIT } from "./exit-codes.js";

/** Print an error for a person (or as JSON) and give the exit code its code maps to. */
export function reportFailure(error: unknown, json: boolean): number {
  if (isWshubError(error)) {
    if (json) process.stdout.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else process.stderr.write(`wshub: ${error.message}\n  (${error.code})\n`);
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: "INTERNAL", message } })}\n`);
  else
    process.stderr.write(
      `wshub: unexpected error: ${message}\n${error instanceof Error && error.stack ? error.stack : ""}\n`,
    );
  return EXIT.INTERNAL;
}
