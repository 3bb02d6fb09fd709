import { rollbackRun } from "@wshub/hub";
import { EXIT } from "../exit-codes.js";
import { auditTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface RollbackCommandOptions extends GlobalOptions {
  run: string;
}

/** `wshub rollback --run ID`: remove the rules that run assigned (kept: those a later run needs). */
export async function rollbackCommand(options: RollbackCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const identity = await ctx.identity();
  const outcome = await rollbackRun(ctx, options.run, identity.arn);
  if (options.output === "json") process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else
    process.stdout.write(
      `${auditTable(outcome.events)}\n\nrollback ${outcome.rollbackRunId} of ${options.run}: ${outcome.calls} removal call(s)\n`,
    );
  return outcome.events.some((e) => e.action === "rollback-failed") ? EXIT.RUN_FAILED : EXIT.OK;
}
