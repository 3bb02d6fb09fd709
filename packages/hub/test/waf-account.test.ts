import { describe, expect, it } from "vitest";
import {
  parseHubConfig,
  type AccountRunRecord,
  type AccountWafResult,
  type AuditEvent,
  type TenantSnapshot,
  type WafAccess,
} from "@wshub/core";
import { applyStoredWaf, checkAccountWaf, storedSections, wafTenantView, type HubContext } from "../src/index.js";
import { ACCOUNT, ACL, fakeWafAccess } from "./waf-fakes.js";

/** Narrow fakes: one ALB in front of i-1 behind a WebACL, the run's records in memory (moto path: test/e2e/waf.test.ts). */
const RUN = { runId: "run-20261201T100000Z-waf2", actor: "tester" };
const snapshot: TenantSnapshot = {
  tenant: "acme",
  fetchedAt: "2026-12-01T09:00:00Z",
  rules: [{ id: 1, identifier: "1000001", name: "Apache DoS", cves: [], detectOnly: false, applicationTypeId: 9 }],
  computers: [{ id: 7, hostName: "web", policyId: 2, instanceId: "i-1", ipsRuleIds: [1] }],
  applicationTypes: [{ id: 9, name: "Web Server Common" }],
};

function context() {
  const events: AuditEvent[] = [];
  const results = new Map<string, AccountWafResult>();
  const records = new Map<string, AccountRunRecord>([[ACCOUNT.id, record()]]);
  const { access, edits } = fakeWafAccess({ calls: 3 });
  const config = parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    reports: { sender: "wshub@example.com" },
    waf: { mode: "apply", allowAccounts: [ACCOUNT.id] },
  });
  const runs = {
    putWafResult: async (_runId: string, result: AccountWafResult) => void results.set(result.accountId, result),
    getWafResult: async (_runId: string, accountId: string) => results.get(accountId),
    getComplianceRows: async () => undefined,
    getAccountRun: async (_runId: string, accountId: string) => records.get(accountId),
    putAccountRun: async (r: AccountRunRecord) => void records.set(r.accountId, r),
    listAccountRuns: async () => [...records.values()],
  };
  const ctx = {
    config,
    waf: access,
    runs,
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    audit: {
      append: async (more: AuditEvent[]) => void events.push(...more),
      query: async () => [],
      unresolvedIntents: async () => [],
    },
    clock: { now: () => new Date("2026-12-01T10:00:00Z") },
  } as unknown as HubContext & { waf: WafAccess };
  return { ctx, events, edits, results, records };
}

function record(): AccountRunRecord {
  return {
    runId: RUN.runId,
    accountId: ACCOUNT.id,
    accountName: ACCOUNT.name,
    ouPath: "",
    status: "collected",
    tenant: "acme",
    tenantSource: "default",
    tenantReason: "default tenant",
    findingsRead: 0,
    findingsWritten: 0,
    inspectorCalls: 0,
  };
}

describe("one account's WAF check, right after its evaluation", () => {
  it("stores its rows with the run, with what an apply's guard rails need, and its counts on its record", async () => {
    const { ctx, results, records } = context();
    const result = await checkAccountWaf(ctx, { ...RUN, account: ACCOUNT, view: wafTenantView("acme", snapshot) });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ status: "missing-groups", classes: ["web-server"], policies: ["policy 2"] });
    expect(results.get(ACCOUNT.id)).toMatchObject({ partial: false, webAclsRead: [ACL], calls: 3 });
    expect(results.get(ACCOUNT.id)?.recommendOnly).toBeUndefined();
    expect(records.get(ACCOUNT.id)?.waf).toMatchObject({ albs: 1, groupsMissing: 1, groupsAdded: 0 });
    // A report rendered later (or `wshub report --run`) shows the same rows.
    expect((await storedSections(ctx, RUN.runId, ACCOUNT.id)).waf).toEqual(result.rows);
  });

  it("a tenant whose snapshot is missing: its instances look unprotected, an error says so, no apply may use it", async () => {
    const { ctx } = context();
    const view = wafTenantView("acme", { ...snapshot, applicationTypes: undefined });
    const result = await checkAccountWaf(ctx, { ...RUN, account: ACCOUNT, view });
    expect(result.rows[0]?.protectedInstanceIds).toEqual([]);
    expect(result.recommendOnly).toMatch(/could not be read/);
    expect(result.errors.map((e) => e.code)).toEqual(["TENANT_NOT_PREPARED"]);
  });
});

describe("the WAF apply over the stored rows (the CLI run and the deployed Assign step)", () => {
  it("adds the missing groups from the stored rows, written ahead, and the record counts what was added", async () => {
    const { ctx, events, edits, records } = context();
    await checkAccountWaf(ctx, { ...RUN, account: ACCOUNT, view: wafTenantView("acme", snapshot) });
    const outcome = await applyStoredWaf(ctx, RUN);
    expect(outcome.stopped).toBeUndefined();
    expect(edits.map((e) => e.add.map((a) => a.ruleName))).toEqual([["wshub-AWSManagedRulesCommonRuleSet"]]);
    expect(events.map((e) => e.action)).toEqual(["intent", "applied"]);
    expect(records.get(ACCOUNT.id)?.waf).toMatchObject({ groupsMissing: 0, groupsAdded: 1 });
  });

  it("changes nothing when some account's picture is incomplete (its tenant could not be read)", async () => {
    const { ctx, events, edits } = context();
    const view = wafTenantView("acme", undefined);
    await checkAccountWaf(ctx, { ...RUN, account: ACCOUNT, view });
    const outcome = await applyStoredWaf(ctx, RUN);
    expect(outcome.stopped?.message).toMatch(/no WAF change: .*111111111111/);
    expect(edits).toEqual([]);
    expect(events).toEqual([]);
  });
});
