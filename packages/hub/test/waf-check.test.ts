import { describe, expect, it } from "vitest";
import { parseHubConfig, type AuditEvent, type TenantSnapshot, type WafAccess } from "@wshub/core";
import { checkWaf, type HubContext, type WafTenantState } from "../src/index.js";
import { ACCOUNT, ACL, fakeWafAccess } from "./waf-fakes.js";

/** The account has one ALB in front of i-1 per WebACL of `acls`. */
function context(waf: Record<string, unknown> = {}, acls: string[] = [ACL]) {
  const events: AuditEvent[] = [];
  const { access, edits } = fakeWafAccess({ acls });
  const config = parseHubConfig({
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    reports: { sender: "wshub@example.com" },
    waf: { allowAccounts: [ACCOUNT.id], ...waf },
  });
  const ctx = {
    config,
    waf: access,
    audit: {
      append: async (more: AuditEvent[]) => void events.push(...more),
      query: async () => [],
      unresolvedIntents: async () => [],
    },
    clock: { now: () => new Date("2026-12-01T10:00:00Z") },
  } as unknown as HubContext & { waf: WafAccess };
  return { ctx, events, edits };
}

const snapshot: TenantSnapshot = {
  tenant: "acme",
  fetchedAt: "2026-12-01T09:00:00Z",
  rules: [{ id: 1, identifier: "1000001", name: "Apache DoS", cves: [], detectOnly: false, applicationTypeId: 9 }],
  computers: [{ id: 7, hostName: "web", policyId: 2, instanceId: "i-1", ipsRuleIds: [1] }],
};
const tenants =
  (errors: { scope: "waf"; subject: string; code: "TENANT_UNREACHABLE"; message: string }[] = []) =>
  async (): Promise<{ tenants: WafTenantState[]; errors: typeof errors }> => ({
    tenants: [{ snapshot, applicationTypes: [{ id: 9, name: "Web Server Common" }] }],
    errors,
  });
const RUN = { runId: "run-20261201T100000Z-waf1", actor: "tester" };

describe("the WAF check's apply, behind its guard rails", () => {
  it("adds only the groups the account may use, written ahead: intent, then applied with the before and after rules", async () => {
    const { ctx, events, edits } = context();
    const outcome = await checkWaf(ctx, RUN, { accounts: [ACCOUNT], tenants: tenants(), mode: "apply" });
    expect(outcome.rows[0]).toMatchObject({ status: "missing-groups", classes: ["web-server"] });
    expect(outcome.rows[0]?.unavailableGroups.map((g) => g.name)).toContain("AWSManagedRulesLinuxRuleSet");
    expect(edits.map((e) => e.add.map((a) => [a.ruleName, a.priority]))).toEqual([
      [["wshub-AWSManagedRulesCommonRuleSet", 0]],
    ]);
    expect(events.map((e) => e.action)).toEqual(["intent", "applied"]);
    expect(events[1]?.details).toMatchObject({
      rulesBefore: "[]",
      rulesAfter: '["wshub-AWSManagedRulesCommonRuleSet"]',
    });
  });

  it("changes nothing in an account outside waf.allowAccounts: a skipped event says why", async () => {
    const { ctx, events, edits } = context({ allowAccounts: [] });
    await checkWaf(ctx, RUN, { accounts: [ACCOUNT], tenants: tenants(), mode: "apply" });
    expect(edits).toEqual([]);
    expect(events.map((e) => [e.action, e.reason])).toEqual([["skipped", "account not in waf.allowAccounts"]]);
  });

  it("a tenant that could not be read turns apply into recommend: no change from a partial inventory", async () => {
    const { ctx, events, edits } = context();
    const down = [
      { scope: "waf" as const, subject: "tenant acme", code: "TENANT_UNREACHABLE" as const, message: "down" },
    ];
    const outcome = await checkWaf(ctx, RUN, { accounts: [ACCOUNT], tenants: tenants(down), mode: "apply" });
    expect(outcome.mode).toBe("recommend");
    expect(outcome.errors.map((e) => e.subject)).toEqual(["tenant acme"]);
    expect([edits, events]).toEqual([[], []]);
  });

  it("more WebACLs to change than waf.maxWebAclsPerRun stops the apply before any change, every one skipped", async () => {
    const acls = [ACL, ACL.replace("main/1", "second/2")];
    const { ctx, events, edits } = context({ maxWebAclsPerRun: 1 }, acls);
    const outcome = await checkWaf(ctx, RUN, { accounts: [ACCOUNT], tenants: tenants(), mode: "apply" });
    expect(outcome.stopped?.code).toBe("GUARD_RAIL_EXCEEDED");
    expect(edits).toEqual([]);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([
      ["skipped", acls[0]],
      ["skipped", acls[1]],
    ]);
  });

  it("reads no tenant when nothing has instances behind it", async () => {
    const { ctx } = context();
    let read = 0;
    const lazy = async () => {
      read++;
      return { tenants: [], errors: [] };
    };
    const empty = {
      ...ctx,
      waf: {
        ...ctx.waf,
        readerFor: async (a: string, r: string) => ({
          ...(await ctx.waf.readerFor(a, r)),
          loadBalancers: async () => [],
        }),
      },
    };
    const outcome = await checkWaf(empty, RUN, { accounts: [ACCOUNT], tenants: lazy });
    expect([outcome.rows, read]).toEqual([[], 0]);
  });
});
