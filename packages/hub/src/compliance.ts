import {
  AsyncCache,
  decideCompliance,
  ERROR_CODES,
  evaluationOf,
  isWshubError,
  newRunId,
  notApplicable,
  parseConfigInvocation,
  summarizeError,
  WshubError,
  EC2_INSTANCE,
  type ComplianceFleet,
  type ConfigEvaluation,
  type ConfigEvaluationsApi,
  type ConfigInvocation,
  type ConfigItemRef,
  type RuleParameters,
} from "@wshub/core";
import { AuditRecorder } from "./audit-recorder.js";
import { putEvaluations, type PutSummary } from "./compliance-put.js";
import type { HubContext } from "./context.js";
import { fleetIndex, type FleetIndex } from "./compliance-fleet.js";
import { planAccounts } from "./plan-accounts.js";
import { openTenant } from "./tenants.js";

/** What one invocation did: what was put (and in how many calls), and what was left out and why. */
export interface ComplianceResult {
  ruleName: string;
  rule?: RuleParameters["rule"];
  accountId: string;
  region: string;
  tenant: string | null;
  evaluations: ConfigEvaluation[];
  put: PutSummary;
  /** Recorded with the reason; the rest continues. */
  skipped: { resourceId?: string; reason: string }[];
}

export interface ComplianceOptions {
  /** Shared across the invocations of one pass: each tenant's fleet is read once (periodic runs). */
  fleets?: FleetCache;
  /** false: decide and return, put nothing (`wshub compliance` on demand without a result token). */
  put?: boolean;
  actor?: string;
}

export type FleetCache = AsyncCache<string, FleetIndex>;
export const newFleetCache = (): FleetCache => new AsyncCache();

/**
 * Evaluate one AWS Config rule invocation against Workload Security and put the evaluations in the member account.
 * A Workload Security outage puts nothing (Config keeps the last result) and raises COMPLIANCE_UNAVAILABLE; an
 * invocation of unknown shape, or an account in no mapped tenant, is recorded with the reason and puts nothing.
 */
export async function evaluateConfigInvocation(
  ctx: HubContext,
  event: unknown,
  options: ComplianceOptions = {},
): Promise<ComplianceResult> {
  const recorder = new AuditRecorder(
    ctx,
    { runId: newRunId(ctx.clock.now()), actor: options.actor ?? "config" },
    "apply",
  );
  let invocation: ConfigInvocation;
  try {
    invocation = parseConfigInvocation(event);
  } catch (error) {
    return rejected(ctx, recorder, event, error);
  }
  const api = await configAccess(ctx).forAccount(invocation.accountId, invocation.region);
  const result = emptyResult(invocation);
  const tenant = await tenantOf(ctx, invocation.accountId);
  result.tenant = tenant;
  const evaluations = await decide(ctx, { invocation, api, tenant, result, fleets: options.fleets ?? newFleetCache() });
  result.evaluations = evaluations;
  if (options.put === false || evaluations.length === 0) return result;
  const target = { api, resultToken: invocation.resultToken, ruleName: invocation.ruleName, tenant: tenant ?? "" };
  result.put = await putEvaluations(
    recorder,
    { ...target, accountId: result.accountId, region: result.region },
    evaluations,
  );
  return result;
}

interface Pass {
  invocation: ConfigInvocation;
  api: ConfigEvaluationsApi;
  tenant: string | null;
  result: ComplianceResult;
  fleets: FleetCache;
}

async function decide(ctx: HubContext, pass: Pass): Promise<ConfigEvaluation[]> {
  const message = pass.invocation.message;
  if (message.kind === "scheduled") return periodic(ctx, pass, message.notificationCreationTime);
  const item = message.kind === "change" ? message.item : await fullItem(pass.api, message.item);
  const outOfScope = notApplicable(item, pass.invocation.eventLeftScope);
  if (outOfScope) return [evaluationOf(item, outOfScope, item.captureTime)];
  if (pass.tenant === null) return noTenant(pass, [item.resourceId]);
  const fleet = await loadFleet(ctx, pass.tenant, { instanceId: item.resourceId });
  return [evaluationOf(item, verdictFor(pass.invocation.parameters, fleet, item.resourceId), item.captureTime)];
}

/** Periodic: every instance of the account, against the tenant's fleet read once (shared by the pass). */
async function periodic(ctx: HubContext, pass: Pass, triggeredAt: string): Promise<ConfigEvaluation[]> {
  const instances = [];
  for await (const page of pass.api.listInstances()) instances.push(...page);
  if (pass.tenant === null)
    return noTenant(
      pass,
      instances.map((i) => i.instanceId),
    );
  const tenant = pass.tenant;
  const fleet = await pass.fleets.get(tenant, () => loadFleet(ctx, tenant, {}));
  return instances.map((instance) => {
    const resource = { resourceType: EC2_INSTANCE, resourceId: instance.instanceId };
    return evaluationOf(resource, verdictFor(pass.invocation.parameters, fleet, instance.instanceId), triggeredAt);
  });
}

export function verdictFor(parameters: RuleParameters, fleet: FleetIndex, instanceId: string) {
  const computer = fleet.computerOf(instanceId);
  return decideCompliance(parameters, computer ? { computer, policyName: fleet.policyName(computer.policyId) } : {});
}

async function fullItem(api: ConfigEvaluationsApi, summary: ConfigItemRef): Promise<ConfigItemRef> {
  const item = await api.configurationItem({ ...summary, laterTime: summary.captureTime });
  return { ...item, status: item.status === "" ? summary.status : item.status };
}

/** A Workload Security failure is an outage: nothing is put, Config keeps its last result. */
export async function loadFleet(
  ctx: HubContext,
  tenant: string,
  options: { instanceId?: string },
): Promise<FleetIndex> {
  let fleet: ComplianceFleet;
  try {
    fleet = await (await openTenant(ctx, tenant)).loadComplianceFleet(options);
  } catch (error) {
    const reason = summarizeError(error);
    ctx.logger.error("compliance: Workload Security unavailable, nothing put", { tenant, code: reason.code });
    throw new WshubError(
      ERROR_CODES.COMPLIANCE_UNAVAILABLE,
      `Workload Security tenant ${tenant} could not be read (${reason.code}: ${reason.message}); no evaluation was put, Config keeps the last result`,
      { tenant, cause: reason.code },
      { cause: error },
    );
  }
  return fleetIndex(fleet);
}

function noTenant(pass: Pass, resourceIds: string[]): ConfigEvaluation[] {
  const reason = `account ${pass.invocation.accountId} maps to no Workload Security tenant`;
  pass.result.skipped.push(...resourceIds.map((resourceId) => ({ resourceId, reason })));
  return [];
}

/**
 * The account's tenant, from the organization the latest run listed (the rules' role need not list it itself);
 * before any run, from Organizations.
 */
async function tenantOf(ctx: HubContext, accountId: string): Promise<string | null> {
  const [latest] = await ctx.runs.listRuns(1);
  const stored = latest ? await ctx.runs.getOrganization(latest.runId) : undefined;
  const listing = stored ?? (await ctx.organization.listOrganization());
  const planned = planAccounts(listing, ctx.config).find((p) => p.account.id === accountId);
  return planned?.tenant.tenant ?? null;
}

function configAccess(ctx: HubContext) {
  if (ctx.configAccess) return ctx.configAccess;
  throw new WshubError(
    ERROR_CODES.CONFIG_INVALID,
    "compliance rules need collection.memberRole (config:PutEvaluations)",
  );
}

function emptyResult(invocation: ConfigInvocation): ComplianceResult {
  return {
    ruleName: invocation.ruleName,
    rule: invocation.parameters.rule,
    accountId: invocation.accountId,
    region: invocation.region,
    tenant: null,
    evaluations: [],
    put: { calls: 0, failedResourceIds: [] },
    skipped: [],
  };
}

/** An invocation wshub cannot read: in the trail as rejected, with the reason; nothing is put. */
async function rejected(
  ctx: HubContext,
  recorder: AuditRecorder,
  event: unknown,
  error: unknown,
): Promise<ComplianceResult> {
  if (!isWshubError(error)) throw error;
  const field = (name: string) => (typeof event === "object" && event !== null ? Reflect.get(event, name) : undefined);
  const ruleName = String(field("configRuleName") ?? "unknown");
  const accountId = String(field("accountId") ?? "");
  ctx.logger.warn("compliance: invocation rejected", { code: error.code, reason: error.message });
  await recorder.record([
    {
      action: "rejected",
      change: "config-evaluations",
      changeId: `${recorder.run.runId}#config#rejected`,
      tenant: "",
      accountId,
      region: "",
      targetKind: "config-rule",
      targetId: ruleName,
      ruleIds: [],
      ruleIdentifiers: [],
      ruleNames: [],
      cves: [],
      findingArns: [],
      reason: `${error.code}: ${error.message}`,
    },
  ]);
  return {
    ruleName,
    accountId,
    region: "",
    tenant: null,
    evaluations: [],
    put: { calls: 0, failedResourceIds: [] },
    skipped: [{ reason: `${error.code}: ${error.message}` }],
  };
}
