import type { LiveWebAcl, WafAccess, WebAclEdit } from "@wshub/core";

/** Narrow fakes of the WAF port for the hub's WAF tests (the moto-backed path is test/e2e/waf.test.ts). */
export { ACCOUNT } from "./react-fakes.js";
export const ACL = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/main/1";

/** One internet-facing ALB in front of i-1 per WebACL of `acls`; every edit is recorded and succeeds. */
export function fakeWafAccess(options: { acls?: string[]; calls?: number } = {}) {
  const acls = options.acls ?? [ACL];
  const edits: WebAclEdit[] = [];
  const acl: LiveWebAcl = { arn: ACL, name: "main", rules: [], lockToken: "t1", rulesDocument: "[]" };
  const access: WafAccess = {
    readerFor: async (accountId, region) => ({
      calls: options.calls ?? 0,
      loadBalancers: async () =>
        acls.map((arn, i) => ({
          arn: `arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web${i}/1`,
          name: `web${i}`,
          dnsName: `web${i}.example`,
          accountId,
          region,
          internetFacing: true,
          webAcl: { kind: "wafv2" as const, arn },
          instanceIds: ["i-1"],
        })),
      distributions: async () => [],
      readWebAcl: async (arn) => ({ ...acl, arn }),
      availableGroups: async () => [{ vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" }],
    }),
    writerFor: async () => ({
      editWebAcl: async (_arn, decide) => {
        const edit = decide(acl);
        edits.push(edit);
        const rules = edit.add.map((a) => ({ name: a.ruleName, priority: a.priority }));
        const after = { ...acl, rules, lockToken: "t2", rulesDocument: JSON.stringify(rules.map((r) => r.name)) };
        return { changed: true, before: acl, after, attempts: 1 };
      },
      restoreRules: () => Promise.reject(new Error("not used")),
      undoRules: () => Promise.reject(new Error("not used")),
    }),
  };
  return { access, edits };
}
