import { interruptRun, type HubContext } from "@wshub/hub";
import { EXIT } from "./exit-codes.js";

const SIGNAL_EXIT = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM } as const;

/**
 * SIGINT/SIGTERM during a run: record it as interrupted and release its leases before exiting, so the next run need
 * not wait for a lease to expire and `wshub runs` tells the truth. Changes already written ahead stay in the trail.
 */
export function interruptOnSignals(ctx: HubContext & { close(): Promise<void> }, runId: string): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      process.stderr.write(`\nwshub: ${signal}: recording run ${runId} as interrupted\n`);
      void interruptRun(ctx, runId, signal)
        .catch((error: unknown) => process.stderr.write(`wshub: could not record the interruption: ${String(error)}\n`))
        .finally(() => ctx.close().finally(() => process.exit(SIGNAL_EXIT[signal])));
    });
}
