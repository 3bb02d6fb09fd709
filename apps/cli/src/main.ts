import { CommanderError } from "commander";
import type { CommandOptions } from "./options.js";
import { EXIT } from "./exit-codes.js";
import { failureMode, reportFailure, type FailureMode } from "./failure.js";
import { traceMemory } from "./peak-rss.js";
import { buildProgram } from "./program.js";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

/** Parse the command line (program.ts), run the command, and turn what happened into an exit code. */
async function main(argv: string[]): Promise<number> {
  let action: { run: () => Promise<number>; mode: FailureMode } | undefined;
  const program = buildProgram(<T extends CommandOptions>(command: (options: T) => Promise<number>, options: T) => {
    action = { run: () => command(options), mode: failureMode(options) };
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    return reportFailure(error, failureMode({}));
  }
  if (!action) return EXIT.OK;
  try {
    return await action.run();
  } catch (error) {
    return reportFailure(error, action.mode);
  }
}

traceMemory(0);
process.exitCode = await main(process.argv);
