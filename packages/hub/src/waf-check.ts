import {
  ERROR_CODES,
  evaluateWafCoverage,
  mapWithConcurrency,
  planAdditions,
  protectedInstancesOf,
  summarizeError,
  webAclTargets,
  type AuditEvent,
  type ErrorSummary,
  type OrgAccount,
  type ProtectedInstance,
  type ProtectedLookup,
  type RunError,
  type TenantSnapshot,
  type WafAccess,
  type WafMode,
  type WafRow,
  type WebAclTarget,
  type WebAclWrite,
  type WsApplicationType,
} from "@wshub/core";
import {
  AuditRecorder,
  type AuditFields,
  type CallResult,
  type OutcomeFields,
  type RecorderRun,
} from "./audit-recorder.js";
import type { HubContext } from "./context.js";
import { readAccountWaf, type AccountWafInventory } from "./waf-inventory.js";

/** Accounts inventoried at once. */
const WAF_ACCOUNT_CONCURRENCY = 4;

export interface WafTenantState {
  snapshot: TenantSnapshot;
  applicationTypes: WsApplicationType[];
}

export interface WafCheckOutcome {
  mode: WafMode;
  rows: WafRow[];
  errors: RunError[];
  /** Every audit event the apply appended (an intent before its outcome). */
  events: AuditEvent[];
  /** AWS calls of the inventory. */
  calls: number;
  /** UpdateWebACL calls sent. */
  updates: number;
  stopped?: ErrorSummary;
  /** The accounts' inventories the rows came from. */
  inventories: AccountWafInventory[];
}

/**
 * The WAF check of a run (or `wshub waf`): inventory every account through its member role, decide per ALB and
 * distribution which managed rule groups its protected instances call for and its WebACL lacks, and in `apply` mode
 * add them in count mode, written ahead in the audit trail, behind the guard rails: only allowed accounts, at most
 * `maxWebAclsPerRun` WebACLs (more stops the apply before any change), never from a partial or stale inventory.
 */
export async function checkWaf(
  ctx: HubContext & { waf: WafAccess },
  run: RecorderRun,
  input: {
    accounts: OrgAccount[];
    /** Read only when some ALB or distribution has instances behind it; an error makes an apply recommend only. */
    tenants: () => Promise<{ tenants: WafTenantState[]; errors: RunError[] }>;
    mode?: WafMode;
    /** Shown the WebACLs an apply would change, before any change. */
    onPlan?: (targets: WebAclTarget[]) => void;
    /** Read earlier in the run (recommend mode): not read again. */
    inventories?: AccountWafInventory[];
  },
): Promise<WafCheckOutcome> {
  const wanted = input.mode ?? ctx.config.waf.mode;
  if (wanted === "off")
    return { mode: wanted, rows: [], errors: [], events: [], calls: 0, updates: 0, inventories: [] };
  const inventories = input.inventories ?? (await readInventories(ctx, input.accounts));
  const behind = inventories.some((inv) => inv.doors.some((door) => door.instanceIds.length > 0));
  const loaded = behind ? await input.tenants() : { tenants: [], errors: [] };
  const protectedInstances = mergeProtected(loaded.tenants);
  // A tenant missing: its instances would look unprotected, so nothing is changed from this inventory.
  const mode = wanted === "apply" && loaded.errors.length > 0 ? "recommend" : wanted;
  const empty = { mode, rows: [], errors: [], events: [], calls: 0, updates: 0, inventories };
  const rows = inventories
    .flatMap((inv) => evaluateWafCoverage({ ...inv, protectedInstances }))
    .sort((a, b) => Number(b.flagged) - Number(a.flagged));
  const outcome: WafCheckOutcome = {
    ...empty,
    rows,
    errors: [...loaded.errors, ...inventories.flatMap((inv) => inv.errors)],
    calls: inventories.reduce((sum, inv) => sum + inv.calls, 0),
  };
  if (mode !== "apply") return outcome;
  return { ...outcome, ...(await applyWaf(ctx, run, { rows, inventories, onPlan: input.onPlan })) };
}

/** Every account's WAF inventory (AWS only: no tenant is read). */
export function readInventories(
  ctx: HubContext & { waf: WafAccess },
  accounts: OrgAccount[],
): Promise<AccountWafInventory[]> {
  return mapWithConcurrency(accounts, WAF_ACCOUNT_CONCURRENCY, (account) =>
    readAccountWaf(ctx.waf, { accountId: account.id, regions: ctx.config.hub.regions, now: () => ctx.clock.now() }),
  );
}

/** Every tenant's protected instances; where two tenants carry one instance id, the later tenant's (as before). */
function mergeProtected(tenants: WafTenantState[]): ProtectedLookup {
  const lookups = tenants.map((t) => protectedInstancesOf(t.snapshot, t.applicationTypes)).reverse();
  return {
    get: (instanceId) =>
      lookups.reduce<ProtectedInstance | undefined>((found, l) => found ?? l.get(instanceId), undefined),
  };
}

/** What the guard rails need of an account's inventory: when, complete or not, and which WebACLs were read. */
export type WafApplyFacts = Pick<AccountWafInventory, "accountId" | "partial" | "readAt"> & {
  live: { has(webAclArn: string): boolean };
};

/** The apply over every account's rows at once, so the per-run guard rail sees every WebACL before any change. */
export async function applyWaf(
  ctx: HubContext & { waf: WafAccess },
  run: RecorderRun,
  input: {
    rows: WafRow[];
    inventories: WafApplyFacts[];
    onPlan?: ((targets: WebAclTarget[]) => void) | undefined;
  },
): Promise<Pick<WafCheckOutcome, "events" | "updates" | "stopped" | "errors">> {
  const { rows, inventories } = input;
  const settings = ctx.config.waf;
  const recorder = new AuditRecorder(ctx, run, "apply");
  const byAccount = new Map(inventories.map((inv) => [inv.accountId, inv]));
  const now = ctx.clock.now().getTime();
  const blocked = (target: WebAclTarget): string | undefined => {
    const inv = byAccount.get(target.accountId);
    if (!settings.allowAccounts.includes(target.accountId)) return "account not in waf.allowAccounts";
    if (!inv || inv.partial) return "partial inventory: no change is made from it";
    if (now - Date.parse(inv.readAt) > settings.maxInventoryAgeMinutes * 60_000) return "stale inventory";
    if (!inv.live.has(target.webAclArn)) return "WebACL not read";
    return undefined;
  };
  const targets = webAclTargets(rows);
  input.onPlan?.(targets);
  const skipped = targets.flatMap((t) => (blocked(t) ? [{ target: t, reason: blocked(t) ?? "" }] : []));
  const toApply = targets.filter((t) => !blocked(t));
  const stopped: ErrorSummary | undefined =
    toApply.length > settings.maxWebAclsPerRun
      ? {
          code: ERROR_CODES.GUARD_RAIL_EXCEEDED,
          message: `guard rail: ${toApply.length} WebACLs would change, more than the maximum of ${settings.maxWebAclsPerRun}; nothing was changed`,
        }
      : undefined;
  const skips = [...skipped, ...(stopped ? toApply.map((target) => ({ target, reason: stopped.message })) : [])];
  await recorder.record(
    skips.map(({ target, reason }) => ({ ...webAclFields(run.runId, target), action: "skipped", reason })),
  );
  const errors: RunError[] = [];
  let updates = 0;
  if (!stopped)
    for (const target of toApply) {
      const result = await applyTarget(ctx, recorder, target);
      updates += result.ok ? result.value.attempts : 1;
      if (!result.ok) errors.push({ scope: "waf", subject: target.webAclArn, ...summarizeError(result.error) });
    }
  return { events: recorder.events, updates, errors, ...(stopped ? { stopped } : {}) };
}

/** One WebACL, written ahead: the intent (with the before-state as inventoried), the edit, then what it did. */
async function applyTarget(ctx: HubContext & { waf: WafAccess }, recorder: AuditRecorder, target: WebAclTarget) {
  const writer = await ctx.waf.writerFor(target.accountId, target.region);
  return recorder.audited(
    [{ ...webAclFields(recorder.run.runId, target), action: "intent" }],
    () =>
      writer.editWebAcl(target.webAclArn, (current) => ({
        add: planAdditions(current, target.groups),
        removeNames: [],
      })),
    (result) => wafOutcome(result),
  );
}

export function wafOutcome(result: CallResult<WebAclWrite>): OutcomeFields {
  if (!result.ok) {
    const summary = summarizeError(result.error);
    return { action: "failed", answer: { status: 0, message: summary.message }, reason: summary.code };
  }
  const { before, after, changed, attempts } = result.value;
  const beforeNames = new Set(before.rules.map((r) => r.name));
  const added = after.rules.filter((r) => !beforeNames.has(r.name)).map((r) => r.name);
  return {
    action: changed ? "applied" : "skipped",
    ...(changed ? {} : { reason: "already-effective: the WebACL has every group" }),
    answer: { status: 200 },
    details: {
      rulesBefore: before.rulesDocument,
      rulesAfter: after.rulesDocument,
      addedRules: added,
      attempts,
      lockToken: after.lockToken,
    },
  };
}

function webAclFields(runId: string, target: WebAclTarget): Omit<AuditFields, "action"> {
  return {
    change: "webacl-rule-groups",
    changeId: `${runId}#webacl#${target.webAclArn}`,
    tenant: "",
    accountId: target.accountId,
    region: target.region,
    targetKind: "webacl",
    targetId: target.webAclArn,
    ruleIds: [],
    ruleIdentifiers: [],
    ruleNames: target.groups.map((g) => `${g.vendorName}:${g.name}`),
    cves: [],
    findingArns: [],
    details: { resources: target.resourceArns, overrideAction: "count" },
  };
}
