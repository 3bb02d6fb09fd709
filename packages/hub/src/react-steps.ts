import {
  coalescingKey,
  planRecommendedAssignment,
  windowEnd,
  type OrgAccount,
  type ReactionStep,
  type RoleAccess,
  type SecuritySignal,
  type SignalTenantApi,
  type WsComputer,
} from "@wshub/core";
import { assignmentOutcome } from "./assign.js";
import { changeIdOf } from "./assignment-audit.js";
import type { AuditFields, AuditRecorder } from "./audit-recorder.js";
import { mustSucceed, taskOutcome } from "./react-outcomes.js";
import type { HubContext } from "./context.js";
import type { ReactDeps } from "./react.js";
import { accessLine } from "./react-macie.js";
import { assignStep } from "./react-inspector.js";
import { sendNotice } from "./react-notice.js";

/** One reaction in progress: what it is about, where it writes, and what it must undo if it fails. */
export interface StepRun {
  ctx: HubContext;
  deps: ReactDeps;
  signal: SecuritySignal;
  recorder: AuditRecorder;
  /** No scan or assignment is made (`--plan`, or `signals.mode: plan`): they are recorded as planned. */
  plan: boolean;
  /** `--plan`: nothing is written at all (no audit, no windows, no notice, no stored finding). */
  dryRun: boolean;
  /** Windows this attempt opened (released when it fails, so the retry scans). */
  windows: ["scan" | "notice", string][];
  calls: number;
  /** Macie: the roles that may access the bucket. */
  access?: RoleAccess[];
}

export interface StepScope {
  tenant: string;
  account: OrgAccount;
  organization: OrgAccount[];
  api: SignalTenantApi;
  steps: ReactionStep[];
}

/** How often a recommendation scan's result is read while waiting for it. */
const RECOMMENDATION_POLL_MS = 2000;

export async function runSteps(run: StepRun, scope: StepScope): Promise<void> {
  for (const step of scope.steps) {
    if (step.kind === "scan") await scanStep(run, scope, step);
    else if (step.kind === "assign") await assignStep(run, scope, step);
  }
  const unprotected = scope.steps.flatMap((s) => (s.kind === "notify" ? [s] : []));
  if (unprotected.length > 0) await sendNotice(run, scope, unprotected, (run.access ?? []).map(accessLine));
}

/** The audit fields of a change on one computer (scan or rules), action set by the caller. */
export function computerFields(
  run: StepRun,
  scope: StepScope,
  computer: WsComputer,
  change: NonNullable<AuditFields["change"]>,
): AuditFields {
  return {
    action: "planned",
    change,
    changeId: `${run.recorder.run.runId}#${scope.tenant}#computer-${computer.id}#${change}`,
    tenant: scope.tenant,
    accountId: run.signal.accountId,
    region: run.signal.region,
    ...(computer.instanceId ? { instanceId: computer.instanceId } : {}),
    computerId: computer.id,
    policyId: computer.policyId,
    targetKind: "computer",
    targetId: computer.id,
    ruleIds: [],
    ruleIdentifiers: [],
    ruleNames: [],
    cves: run.signal.cve ? [run.signal.cve] : [],
    findingArns: run.signal.source === "inspector" ? [run.signal.findingId] : [],
  };
}

async function scanStep(run: StepRun, scope: StepScope, step: Extract<ReactionStep, { kind: "scan" }>): Promise<void> {
  const { computer } = step;
  const fields = computerFields(run, scope, computer, "recommendation-scan");
  if (!(await openWindow(run, "scan", coalescingKey(scope.tenant, computer.id)))) {
    const minutes = run.ctx.config.signals.coalesceMinutes;
    await run.recorder.record([
      {
        ...fields,
        action: "skipped",
        reason: `coalesced: computer ${computer.id} was scanned for a finding within the last ${minutes} minutes`,
      },
    ]);
    return;
  }
  if (run.plan) {
    await run.recorder.record([fields, integrityFields(run, scope, step)]);
    return;
  }
  const startedAt = Date.now();
  await mustSucceed(
    run.recorder.audited([fields], () => scope.api.startScan("recommendation", computer.id), taskOutcome),
  );
  const result = await waitForRecommendations(run, scope.api, computer.id, startedAt);
  if (result === undefined)
    await run.recorder.record([
      {
        ...fields,
        action: "skipped",
        reason: "the recommendation scan's result did not arrive in time; no rule was applied",
      },
    ]);
  else await applyRecommended(run, scope, computer, result);
  await integrityStep(run, scope, step);
}

function integrityFields(run: StepRun, scope: StepScope, step: Extract<ReactionStep, { kind: "scan" }>): AuditFields {
  const fields = computerFields(run, scope, step.computer, "integrity-scan");
  if (step.integrity === "scan") return fields;
  const reason =
    step.integrity === "cannot-verify"
      ? `cannot verify: integrity monitoring is ${step.computer.integrityState ?? "not reported"} on computer ${step.computer.id}`
      : "integrity scans are off (signals.integrityScan)";
  return { ...fields, action: "skipped", reason };
}

async function integrityStep(
  run: StepRun,
  scope: StepScope,
  step: Extract<ReactionStep, { kind: "scan" }>,
): Promise<void> {
  const fields = integrityFields(run, scope, step);
  if (fields.action === "skipped") await run.recorder.record([fields]);
  else
    await mustSucceed(
      run.recorder.audited([fields], () => scope.api.startScan("integrity", step.computer.id), taskOutcome),
    );
}

/** The rules the scan recommends, once its date has moved past the scan's start (the sandbox answers at once). */
async function waitForRecommendations(
  run: StepRun,
  api: SignalTenantApi,
  computerId: number,
  startedAt: number,
): Promise<number[] | undefined> {
  const deadline = startedAt + run.ctx.config.signals.recommendationWaitSeconds * 1000;
  const sleep = run.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const result = await api.recommendations(computerId);
    // A second of tolerance for the manager's clock.
    if (result.scannedAt !== undefined && result.scannedAt >= startedAt - 1000)
      return result.recommendedToAssignRuleIds;
    if (Date.now() + RECOMMENDATION_POLL_MS > deadline) return undefined;
    await sleep(RECOMMENDATION_POLL_MS);
  }
}

/** Apply the scan's results through the assignment guard rails (mode, allow-list, target, reach). */
async function applyRecommended(
  run: StepRun,
  scope: StepScope,
  computer: WsComputer,
  ruleIds: number[],
): Promise<void> {
  if (ruleIds.length === 0) return;
  const settings = run.ctx.config.assignment;
  const forPolicy = settings.target === "policy";
  const [fleet, policies] = forPolicy ? await Promise.all([scope.api.computers(), scope.api.policies()]) : [[], []];
  const planned = planRecommendedAssignment({
    account: scope.account,
    organization: scope.organization,
    computer,
    recommendedRuleIds: ruleIds,
    fleet,
    policies,
    tenantMode: run.ctx.config.tenants.find((t) => t.name === scope.tenant)?.assignmentMode,
    settings,
  });
  if (planned.ruleIds.length === 0 || planned.mode === "off") return;
  const fields: AuditFields = {
    ...computerFields(run, scope, computer, "ips-rules"),
    changeId: changeIdOf(run.recorder.run.runId, scope.tenant, planned.target),
    targetKind: planned.target.kind,
    targetId: planned.target.id,
    ruleIds: planned.ruleIds,
    ...(planned.target.kind === "policy" ? { alsoAffects: planned.alsoAffects } : {}),
    details: { recommendedBy: "recommendation-scan" },
  };
  if (planned.blockedReason)
    await run.recorder.record([{ ...fields, action: "skipped", reason: planned.blockedReason }]);
  else if (run.plan || planned.mode === "plan") await run.recorder.record([{ ...fields, mode: "plan" }]);
  else
    await mustSucceed(
      run.recorder.audited(
        [fields],
        () => scope.api.writer.addRules(planned.target, planned.ruleIds),
        (result) => assignmentOutcome(result, planned.ruleIds),
      ),
    );
}

/** Open a coalescing or notice window; false while one is open. */
export async function openWindow(run: StepRun, kind: "scan" | "notice", key: string): Promise<boolean> {
  // A planned scan opens no window (the next event plans it again); a notice in plan mode still goes out once.
  if (run.dryRun || (kind === "scan" && run.plan)) return true;
  const now = run.ctx.clock.now();
  const settings = run.ctx.config.signals;
  const minutes = kind === "scan" ? settings.coalesceMinutes : settings.noticeWindowHours * 60;
  if (minutes === 0) return true;
  const opened = await run.deps.signals.claimWindow(kind, key, { now, until: windowEnd(now, minutes) });
  if (opened) run.windows.push([kind, key]);
  return opened;
}
