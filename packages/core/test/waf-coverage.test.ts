import { describe, expect, it } from "vitest";
import {
  classifyInstance,
  evaluateWafCoverage,
  groupsForClasses,
  planAdditions,
  webAclTargets,
  type ProtectedInstance,
  type WafFrontDoor,
  type WebAclRead,
} from "../src/index.js";

const aws = (name: string) => ({ vendorName: "AWS", name });
const webServer: ProtectedInstance = {
  instanceId: "i-web",
  computerId: 1,
  policyId: 10,
  policyName: "Web",
  applicationTypes: ["Web Server Common"],
  ruleNames: [],
};
const cms: ProtectedInstance = {
  instanceId: "i-cms",
  computerId: 2,
  policyId: 11,
  policyName: "CMS",
  applicationTypes: ["Web Server Common", "Web Application PHP Based"],
  ruleNames: ["WordPress Plugin XSS"],
};
const albArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/1";
const aclArn = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/main/abc";
const door = (over: Partial<WafFrontDoor>): WafFrontDoor => ({
  kind: "alb",
  arn: albArn,
  name: "web",
  accountId: "111111111111",
  region: "us-east-1",
  internetFacing: true,
  instanceIds: ["i-web"],
  ...over,
});
const acls = (rules: { name: string; priority: number; group?: string }[]): Map<string, WebAclRead> =>
  new Map([
    [
      aclArn,
      {
        ok: true,
        acl: {
          arn: aclArn,
          name: "main",
          rules: rules.map((r) => ({
            name: r.name,
            priority: r.priority,
            ...(r.group ? { managedGroup: aws(r.group) } : {}),
          })),
        },
      },
    ],
  ]);
const protectedOnes = new Map([
  ["i-web", webServer],
  ["i-cms", cms],
]);

describe("classification from application type names", () => {
  it("classes a web server, a CMS (also a web server) and a database by names, not ids", () => {
    expect(classifyInstance(webServer)).toEqual(["web-server"]);
    expect(classifyInstance(cms)).toEqual(["web-server", "web-application"]);
    expect(classifyInstance({ applicationTypes: ["Database MySQL"], ruleNames: [] })).toEqual(["database-backed"]);
    expect(classifyInstance({ applicationTypes: ["SSH"], ruleNames: ["Drupal Core RCE"] })).toEqual([
      "web-application",
    ]);
    expect(classifyInstance({ applicationTypes: ["SSH", "DNS Client"], ruleNames: [] })).toEqual([]);
  });

  it("calls for the baseline plus each class's groups, Windows when the platform says so", () => {
    expect(groupsForClasses([])).toEqual([]);
    expect(groupsForClasses(["database-backed"]).map((g) => g.name)).toEqual([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesSQLiRuleSet",
    ]);
    expect(groupsForClasses(["web-server"], "Microsoft Windows Server 2022").map((g) => g.name)).toContain(
      "AWSManagedRulesWindowsRuleSet",
    );
  });
});

describe("WAF coverage rows", () => {
  it("flags an internet-facing ALB with no WebACL in front of a protected instance first", () => {
    const rows = evaluateWafCoverage({
      doors: [
        door({ arn: "arn:b", webAcl: { kind: "wafv2", arn: aclArn } }),
        door({ arn: "arn:a", webAcl: undefined }),
        door({ arn: "arn:c", instanceIds: ["i-unknown"] }),
      ],
      webAcls: acls([]),
      protectedInstances: protectedOnes,
    });
    expect(rows.map((r) => [r.resourceArn, r.status, r.flagged])).toEqual([
      ["arn:a", "no-webacl", true],
      ["arn:b", "missing-groups", false],
      ["arn:c", "no-protected-instance", false],
    ]);
  });

  it("recommends only the groups the WebACL lacks", () => {
    const [row] = evaluateWafCoverage({
      doors: [door({ kind: "cloudfront", instanceIds: ["i-cms"], webAcl: { kind: "wafv2", arn: aclArn } })],
      webAcls: acls([{ name: "common", priority: 0, group: "AWSManagedRulesCommonRuleSet" }]),
      protectedInstances: protectedOnes,
    });
    expect(row?.classes).toEqual(["web-server", "web-application"]);
    expect(row?.missingGroups.map((g) => g.name)).toEqual([
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesLinuxRuleSet",
      "AWSManagedRulesUnixRuleSet",
      "AWSManagedRulesPHPRuleSet",
      "AWSManagedRulesWordPressRuleSet",
    ]);
    expect(row?.policies).toEqual(["CMS"]);
  });

  it("reports a WAF Classic id as such, an unreadable WebACL with its reason, and unavailable groups apart", () => {
    const rows = evaluateWafCoverage({
      doors: [
        door({ arn: "arn:classic", webAcl: { kind: "classic", id: "a1b2c3" } }),
        door({ arn: "arn:bad", webAcl: { kind: "wafv2", arn: "arn:missing" } }),
        door({ arn: "arn:ok", webAcl: { kind: "wafv2", arn: aclArn } }),
      ],
      webAcls: new Map([...acls([]), ["arn:missing", { ok: false, reason: "AccessDeniedException" }]]),
      protectedInstances: protectedOnes,
      available: { regional: [aws("AWSManagedRulesCommonRuleSet")] },
    });
    const byArn = new Map(rows.map((r) => [r.resourceArn, r]));
    expect(byArn.get("arn:classic")).toMatchObject({ status: "waf-classic", webAcl: "a1b2c3", webAclKind: "classic" });
    expect(byArn.get("arn:bad")).toMatchObject({ status: "webacl-unreadable", reason: "AccessDeniedException" });
    expect(byArn.get("arn:ok")?.missingGroups.map((g) => g.name)).toEqual(["AWSManagedRulesCommonRuleSet"]);
    expect(byArn.get("arn:ok")?.unavailableGroups.map((g) => g.name)).toContain("AWSManagedRulesLinuxRuleSet");
  });

  it("offers a vendor's group only where the catalogue lists it", () => {
    const [row] = evaluateWafCoverage({
      doors: [door({ webAcl: { kind: "wafv2", arn: aclArn } })],
      webAcls: acls([]),
      protectedInstances: protectedOnes,
      available: { regional: [aws("AWSManagedRulesCommonRuleSet"), { vendorName: "Trend Micro", name: "WebServer" }] },
    });
    expect(row?.missingGroups).toEqual([
      aws("AWSManagedRulesCommonRuleSet"),
      { vendorName: "Trend Micro", name: "WebServer" },
    ]);
  });
});

describe("the apply plan", () => {
  it("adds missing groups after every existing rule with fresh names, one target per WebACL", () => {
    const rows = evaluateWafCoverage({
      doors: [
        door({ webAcl: { kind: "wafv2", arn: aclArn } }),
        door({ arn: "arn:2", webAcl: { kind: "wafv2", arn: aclArn } }),
      ],
      webAcls: acls([]),
      protectedInstances: protectedOnes,
    });
    const targets = webAclTargets(rows);
    expect(targets).toHaveLength(1);
    expect(targets[0]?.resourceArns).toHaveLength(2);
    const acl = {
      arn: aclArn,
      name: "main",
      rules: [
        { name: "block-bad-ips", priority: 7 },
        { name: "wshub-AWSManagedRulesCommonRuleSet", priority: 2 },
        { name: "bad-inputs", priority: 3, managedGroup: aws("AWSManagedRulesKnownBadInputsRuleSet") },
      ],
    };
    expect(planAdditions(acl, targets[0]?.groups ?? [])).toEqual([
      { ruleName: "wshub-AWSManagedRulesCommonRuleSet-2", priority: 8, group: aws("AWSManagedRulesCommonRuleSet") },
      { ruleName: "wshub-AWSManagedRulesLinuxRuleSet", priority: 9, group: aws("AWSManagedRulesLinuxRuleSet") },
      { ruleName: "wshub-AWSManagedRulesUnixRuleSet", priority: 10, group: aws("AWSManagedRulesUnixRuleSet") },
    ]);
  });

  it("plans nothing once every group is present", () => {
    const acl = {
      arn: aclArn,
      name: "main",
      rules: [{ name: "c", priority: 0, managedGroup: aws("AWSManagedRulesSQLiRuleSet") }],
    };
    expect(planAdditions(acl, [aws("AWSManagedRulesSQLiRuleSet")])).toEqual([]);
  });
});
