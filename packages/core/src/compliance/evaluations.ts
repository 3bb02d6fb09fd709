import type { ComplianceType, Verdict } from "./decide.js";

/** Config's cap on evaluations in one PutEvaluations call. */
export const MAX_EVALUATIONS_PER_CALL = 100;

/** One evaluation, as PutEvaluations takes it. */
export interface ConfigEvaluation {
  resourceType: string;
  resourceId: string;
  compliance: ComplianceType;
  annotation: string;
  /** The item's capture time (change-triggered) or the notification time (periodic), never "now". */
  orderingTimestamp: string;
}

export function evaluationOf(
  resource: { resourceType: string; resourceId: string },
  verdict: Verdict,
  orderingTimestamp: string,
): ConfigEvaluation {
  return { ...resource, compliance: verdict.compliance, annotation: verdict.annotation, orderingTimestamp };
}

/** Evaluations in calls of at most 100: ⌈n/100⌉ calls. */
export function batchEvaluations<T>(evaluations: readonly T[], size = MAX_EVALUATIONS_PER_CALL): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < evaluations.length; i += size) batches.push(evaluations.slice(i, i + size));
  return batches;
}
