import { ERROR_CODES, WshubError } from "@wshub/core";
import type * as Sandbox from "@wshub/sandbox";

/** The sandbox package's API, as `wshub demo`, `sandbox` and `generate` use it. */
export type SandboxModule = typeof Sandbox;

/**
 * The sandbox (moto, DynamoDB Local, fastify simulators) is a development dependency of the CLI: a production
 * install (`pnpm install --prod`, or the CLI packaged on its own) does not have it. It is imported only by the
 * commands that need it, and its absence is a typed error rather than a crash at start-up.
 */
export async function loadSandbox(): Promise<SandboxModule> {
  try {
    return await import("@wshub/sandbox");
  } catch (error) {
    if (!isModuleMissing(error)) throw error;
    throw new WshubError(
      ERROR_CODES.SANDBOX_NOT_INSTALLED,
      "This command needs the sandbox (@wshub/sandbox), which a production install leaves out: run it from a " +
        "clone of the repository after `pnpm install` (or `./dev`), see docs/cli.md.",
      {},
      { cause: error },
    );
  }
}

function isModuleMissing(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  const missing = error.code === "ERR_MODULE_NOT_FOUND" || error.code === "MODULE_NOT_FOUND";
  // The bundled CLI (scripts/bundle.ts) finds the workspace's sandbox as TypeScript sources it cannot load.
  const unbundled = error.code === "ERR_UNKNOWN_FILE_EXTENSION" && error.message.includes("/packages/sandbox/");
  return unbundled || (missing && error.message.includes("@wshub/sandbox"));
}
