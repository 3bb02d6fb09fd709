import {
  batchEvaluations,
  ERROR_CODES,
  summarizeError,
  WshubError,
  type ConfigEvaluation,
  type ConfigEvaluationsApi,
} from "@wshub/core";
import type { AuditFields, AuditRecorder } from "./audit-recorder.js";

export interface PutTarget {
  api: ConfigEvaluationsApi;
  resultToken: string;
  ruleName: string;
  tenant: string;
  accountId: string;
  region: string;
}

export interface PutSummary {
  calls: number;
  failedResourceIds: string[];
}

/**
 * PutEvaluations changes what the customer's Config shows: each call (at most 100 evaluations) goes through the
 * write path, its intent in the audit trail before the call and its outcome after. A failed call fails the rest too.
 */
export async function putEvaluations(
  recorder: AuditRecorder,
  target: PutTarget,
  evaluations: readonly ConfigEvaluation[],
): Promise<PutSummary> {
  const summary: PutSummary = { calls: 0, failedResourceIds: [] };
  for (const [index, batch] of batchEvaluations(evaluations).entries()) {
    summary.calls++;
    const result = await recorder.audited(
      [intentOf(recorder, target, batch, index)],
      () => target.api.put(target.resultToken, batch),
      (answer) =>
        answer.ok
          ? { action: "applied", answer: { status: 200 }, details: { failed: answer.value.failedResourceIds } }
          : { action: "failed", answer: { status: 0 }, reason: summarizeError(answer.error).message },
    );
    if (!result.ok) throw putFailure(result.error, target);
    summary.failedResourceIds.push(...result.value.failedResourceIds);
  }
  return summary;
}

function intentOf(
  recorder: AuditRecorder,
  target: PutTarget,
  batch: readonly ConfigEvaluation[],
  index: number,
): AuditFields {
  const fields: AuditFields = {
    action: "intent",
    change: "config-evaluations",
    changeId: `${recorder.run.runId}#config#${target.accountId}#${target.region}#${target.ruleName}#${index}`,
    tenant: target.tenant,
    accountId: target.accountId,
    region: target.region,
    targetKind: "config-rule",
    targetId: target.ruleName,
    ruleIds: [],
    ruleIdentifiers: [],
    ruleNames: [],
    cves: [],
    findingArns: [],
    details: countsOf(batch),
  };
  const only = batch.length === 1 ? batch[0] : undefined;
  if (only) fields.instanceId = only.resourceId;
  return fields;
}

function countsOf(batch: readonly ConfigEvaluation[]): Record<string, number | string[]> {
  const count = (type: string) => batch.filter((e) => e.compliance === type).length;
  return {
    evaluations: batch.length,
    compliant: count("COMPLIANT"),
    nonCompliant: count("NON_COMPLIANT"),
    notApplicable: count("NOT_APPLICABLE"),
    resourceIds: batch.map((e) => e.resourceId),
  };
}

function putFailure(error: unknown, target: PutTarget): WshubError {
  if (error instanceof WshubError) return error;
  return new WshubError(
    ERROR_CODES.CONFIG_EVALUATIONS_FAILED,
    `PutEvaluations for ${target.ruleName} in ${target.accountId}: ${summarizeError(error).message}`,
    { accountId: target.accountId, region: target.region, rule: target.ruleName },
    { cause: error },
  );
}
