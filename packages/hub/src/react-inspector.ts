import {
  ERROR_CODES,
  planInspectorAssignment,
  signalRef,
  WshubError,
  type CoverageRow,
  type ReactionStep,
} from "@wshub/core";
import { assignRun } from "./assign.js";
import { changeEvents } from "./assignment-audit.js";
import type { AuditFields } from "./audit-recorder.js";
import { computerFields, type StepRun, type StepScope } from "./react-steps.js";

type AssignStep = Extract<ReactionStep, { kind: "assign" }>;

/** Inspector: the rules covering the CVE in this tenant, through the weekly run's planner and assignment path. */
export async function assignStep(run: StepRun, scope: StepScope, step: AssignStep): Promise<void> {
  const finding = run.signal.finding;
  if (!finding) return;
  const settings = run.ctx.config.assignment;
  const coveringRules = await scope.api.rulesForVulnerability(step.cve);
  const forPolicy = settings.target === "policy" && coveringRules.length > 0;
  const [fleet, policies] = forPolicy ? await Promise.all([scope.api.computers(), scope.api.policies()]) : [[], []];
  const computers = [step.computer, ...fleet.filter((c) => c.id !== step.computer.id)];
  const tenantMode = run.ctx.config.tenants.find((t) => t.name === scope.tenant)?.assignmentMode;
  const input = { tenant: scope.tenant, finding, account: scope.account, organization: scope.organization };
  const { rows, plan, index } = planInspectorAssignment({
    ...input,
    coveringRules,
    computers,
    policies,
    tenantMode,
    settings,
  });
  if (plan.changes.length === 0) {
    await run.recorder.record([noAssignment(run, scope, step, rows[0])]);
    return;
  }
  if (run.plan) {
    const runId = run.recorder.run.runId;
    await run.recorder.record(
      plan.changes.flatMap((change) => changeEvents(runId, scope.tenant, change, { action: "planned", mode: "plan" })),
    );
    return;
  }
  const tenantInput = {
    tenant: scope.tenant,
    api: scope.api.writer,
    index,
    policies,
    rows,
    accounts: scope.organization,
  };
  const outcome = await assignRun(run.ctx, run.recorder.run, [tenantInput], { signal: signalRef(run.signal) });
  run.recorder.events.push(...outcome.events);
  const failed = outcome.events.find((e) => e.action === "failed");
  if (failed)
    throw new WshubError(
      ERROR_CODES.ASSIGNMENT_FAILED,
      `assignment of the rules covering ${step.cve} on ${step.instanceId} failed: ${failed.reason ?? ""}`,
      { findingId: run.signal.findingId },
    );
}

/** Why an Inspector event assigned nothing: the coverage row's status and note (protected, no rule, blocked...). */
function noAssignment(run: StepRun, scope: StepScope, step: AssignStep, row: CoverageRow | undefined): AuditFields {
  const why = row ? `${row.coverage}: ${row.note}` : "the finding is not a coverage unit";
  return {
    ...computerFields(run, scope, step.computer, "ips-rules"),
    action: "skipped",
    ruleIds: row?.coveringRules.map((r) => r.id) ?? [],
    reason: `nothing to assign for ${step.cve}: ${why}`,
  };
}
