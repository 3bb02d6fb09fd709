import {
  changeKeyOf,
  type AssignmentTarget,
  type PlannedChange,
  type PlannedInstance,
  type SkippedRow,
} from "@wshub/core";
import type { AuditFields } from "./audit-recorder.js";

/** The audit fields of an IPS rule change, for one instance it serves (action set by the caller). */
export function changeFields(
  runId: string,
  tenant: string,
  change: PlannedChange,
  instance: PlannedInstance,
): AuditFields {
  const rules = change.rules.filter((rule) => instance.ruleIds.includes(rule.id));
  return {
    action: "planned",
    change: "ips-rules",
    changeId: changeIdOf(runId, tenant, change.target),
    tenant,
    accountId: instance.accountId,
    region: instance.region,
    instanceId: instance.instanceId,
    computerId: instance.computerId,
    policyId: instance.policyId,
    targetKind: change.target.kind,
    targetId: change.target.id,
    ruleIds: instance.ruleIds,
    ruleIdentifiers: rules.map((r) => r.identifier),
    ruleNames: rules.map((r) => r.name),
    cves: instance.vulnerabilityIds,
    findingArns: instance.findingArns,
    ...(change.target.kind === "policy" ? { alsoAffects: change.alsoAffects } : {}),
  };
}

/** Every instance a change serves, with the same action and extra fields. */
export function changeEvents(
  runId: string,
  tenant: string,
  change: PlannedChange,
  extra: Partial<AuditFields> & Pick<AuditFields, "action">,
): AuditFields[] {
  return change.instances.map((instance) => ({ ...changeFields(runId, tenant, change, instance), ...extra }));
}

/** A row the planner left out (not allowed, agent not running, ...), named by the target it would have had. */
export function skippedRowFields(
  runId: string,
  tenant: string,
  skipped: SkippedRow,
  defaultTarget: AssignmentTarget["kind"],
): AuditFields {
  const row = skipped.row;
  const computerId = row.computer?.id ?? 0;
  const policyId = row.computer?.policyId ?? 0;
  const target: AssignmentTarget = { kind: defaultTarget, id: defaultTarget === "computer" ? computerId : policyId };
  return {
    action: "skipped",
    change: "ips-rules",
    changeId: changeIdOf(runId, tenant, target),
    tenant,
    accountId: row.accountId,
    region: row.region,
    instanceId: row.instanceId,
    computerId,
    policyId,
    targetKind: target.kind,
    targetId: target.id,
    ruleIds: row.coveringRules.map((r) => r.id),
    ruleIdentifiers: row.coveringRules.map((r) => r.identifier),
    ruleNames: row.coveringRules.map((r) => r.name),
    cves: [row.vulnerabilityId],
    findingArns: row.findingArns,
    reason: `${skipped.kind}: ${skipped.reason}`,
  };
}

export function changeIdOf(runId: string, tenant: string, target: AssignmentTarget): string {
  return `${runId}#${tenant}#${changeKeyOf(target)}`;
}
