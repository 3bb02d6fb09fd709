import { answeredStatus, summarizeError } from "@wshub/core";
import type { CallResult, OutcomeFields } from "./audit-recorder.js";

export function taskOutcome(result: CallResult<number | undefined>): OutcomeFields {
  if (result.ok) return { action: "applied", answer: { status: 200 }, details: { taskId: result.value ?? 0 } };
  return failedOutcome(result.error);
}

export function failedOutcome(error: unknown): OutcomeFields {
  const summary = summarizeError(error);
  return {
    action: "failed",
    answer: { status: answeredStatus(error), message: summary.message },
    reason: summary.code,
  };
}

/** A failed call is in the trail as an outcome; then it is thrown, so the event is delivered again (then to the DLQ). */
export async function mustSucceed<T>(pending: Promise<CallResult<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw result.error;
  return result.value;
}
