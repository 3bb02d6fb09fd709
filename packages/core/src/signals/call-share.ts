import { ERROR_CODES, WshubError } from "../errors.js";

/**
 * The react function's concurrent invocations when nothing else says (the smallest maximumConcurrency an SQS event
 * source mapping takes). The deployment's `signals.maximumConcurrency` sets the mapping and, through the function's
 * WSHUB_REACT_CONCURRENCY, the configuration's `signals.concurrency`: one value for both.
 */
export const MIN_REACT_CONCURRENCY = 2;
export const DEFAULT_REACT_CONCURRENCY = MIN_REACT_CONCURRENCY;
/** The largest maximumConcurrency an SQS event source mapping takes. */
export const MAX_REACT_CONCURRENCY = 1000;

/**
 * A tenant's calls a minute that one react invocation may make: the tenant's ceiling divided by the invocations that
 * may run at once, so their sum stays under it however the events are spread (no shared counter, no extra call).
 * More invocations than calls a minute could not hold the ceiling: that configuration is refused.
 */
export function invocationCallShare(input: { tenant: string; maxCallsPerMinute: number; concurrency: number }): number {
  if (input.concurrency > input.maxCallsPerMinute)
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      `tenant ${input.tenant}: ${input.concurrency} concurrent react invocations cannot share ${input.maxCallsPerMinute} calls a minute; lower signals.maximumConcurrency`,
      { tenant: input.tenant },
    );
  return Math.floor(input.maxCallsPerMinute / input.concurrency);
}
