import type { Logger } from "@wshub/core";
import { awsErrorName } from "./sdk-errors.js";

interface CallMetadata {
  $metadata?: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number };
}
type Handler = (args: unknown) => Promise<{ output?: CallMetadata }>;
interface HandlerContext {
  clientName?: string;
  commandName?: string;
}
/** The part of an SDK v3 client's middleware stack used here (every client has it; its types are per client). */
interface InitializeStack {
  add(
    middleware: (next: Handler, context: HandlerContext) => Handler,
    options: { step: "initialize"; name: string },
  ): void;
}

/**
 * One debug line per SDK call (retries included): service, command, HTTP status, attempts, milliseconds, or the error
 * name. Never the input or output, which can hold secrets (GetSecretValue) — unlike the SDK's own `logger` option.
 */
export function logSdkCalls<C extends { middlewareStack: object }>(client: C, logger: Logger): C {
  (client.middlewareStack as InitializeStack).add(
    (next, context) => async (args) => {
      const started = performance.now();
      const call = { service: context.clientName, command: context.commandName };
      try {
        const result = await next(args);
        const metadata = result.output?.$metadata;
        logger.debug("aws call", {
          ...call,
          status: metadata?.httpStatusCode,
          attempts: metadata?.attempts,
          ms: Math.round(performance.now() - started),
        });
        return result;
      } catch (error) {
        logger.debug("aws call failed", {
          ...call,
          error: awsErrorName(error),
          ms: Math.round(performance.now() - started),
        });
        throw error;
      }
    },
    { step: "initialize", name: "wshubCallLog" },
  );
  return client;
}
