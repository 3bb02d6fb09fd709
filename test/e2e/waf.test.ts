import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CloudFrontClient, CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  AssociateWebACLCommand,
  CreateWebACLCommand,
  GetWebACLCommand,
  UpdateWebACLCommand,
  WAFV2Client,
} from "@aws-sdk/client-wafv2";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { AwsWafReader, AwsWafWriter, parseWebAclArn } from "@wshub/aws";
import { wafWith } from "@wshub/cli";
import {
  emptyFindingCounts,
  evaluateWafCoverage,
  frontDoorsOf,
  parseHubConfig,
  planAdditions,
  type AuditEvent,
  type Logger,
  type OrgAccount,
  type ProtectedInstance,
  type WafRow,
  type WebAclTarget,
} from "@wshub/core";
import {
  checkAccountWaf,
  rollbackRun,
  storedSections,
  wafTenantView,
  withApplicationTypes,
  type HubContext,
} from "@wshub/hub";
import { WAF_COLUMNS, writeAccountWorkbook, writeWafCsv } from "@wshub/reports";
import { createHubContext, ensureTables } from "@wshub/runtime";
import { startMotoServer, type MotoServer } from "@wshub/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { wafTenantApi, withCatalogue } from "../src/waf-fixture.js";

/** The WAF adapter and writer against moto's real ELBv2, WAFv2 and CloudFront (one account, us-east-1). */
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
let moto: MotoServer;
const config = () => ({
  region: REGION,
  endpoint: moto.endpoint,
  credentials: { accessKeyId: "AKIAWAFTEST", secretAccessKey: "secret" },
});
let clients: {
  elbv2: ElasticLoadBalancingV2Client;
  wafv2: WAFV2Client;
  wafv2Global: WAFV2Client;
  cloudfront: CloudFrontClient;
};
let aclArn = "";
const network = { vpc: "", subnets: [] as string[] };
const visibility = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: "m" };
const existingRule = {
  Name: "customer-rate-limit",
  Priority: 3,
  Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: "IP" as const } },
  Action: { Block: {} },
  VisibilityConfig: visibility,
};

async function alb(name: string, instanceIds: string[]) {
  const lb = await clients.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Subnets: network.subnets,
      Scheme: "internet-facing",
      Type: "application",
    }),
  );
  const group = await clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`,
      Protocol: "HTTP",
      Port: 80,
      VpcId: network.vpc,
      TargetType: "instance",
    }),
  );
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
  const tgArn = group.TargetGroups?.[0]?.TargetGroupArn ?? "";
  await clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );
  await clients.elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: instanceIds.map((Id) => ({ Id, Port: 80 })) }),
  );
  return { lbArn, tgArn, dns: lb.LoadBalancers?.[0]?.DNSName ?? "" };
}

beforeAll(async () => {
  moto = await startMotoServer();
  clients = {
    elbv2: new ElasticLoadBalancingV2Client(config()),
    wafv2: new WAFV2Client(config()),
    wafv2Global: new WAFV2Client(config()),
    cloudfront: new CloudFrontClient(config()),
  };
  const ec2 = new EC2Client(config());
  network.vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc?.VpcId ?? "";
  for (const [cidr, zone] of [
    ["10.0.1.0/24", "us-east-1a"],
    ["10.0.2.0/24", "us-east-1b"],
  ] as const) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: network.vpc, CidrBlock: cidr, AvailabilityZone: zone }),
    );
    network.subnets.push(subnet.Subnet?.SubnetId ?? "");
  }
}, 90_000);

afterAll(async () => {
  await moto?.stop();
});

describe("WAF against moto", () => {
  it("reads ALBs, their instances and WebACLs, and a distribution in front of an ALB", async () => {
    const web = await alb("web", ["i-0000000000000web1"]);
    const cms = await alb("cms", ["i-0000000000000cms1"]);
    await alb("bare", ["i-0000000000000bar1"]);
    const acl = await clients.wafv2.send(
      new CreateWebACLCommand({
        Name: "main",
        Scope: "REGIONAL",
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility,
        Rules: [existingRule],
      }),
    );
    aclArn = acl.Summary?.ARN ?? "";
    await clients.wafv2.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: web.lbArn }));
    await clients.cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "cms",
          Comment: "cms",
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: "alb",
                DomainName: cms.dns,
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
            ],
          },
          DefaultCacheBehavior: { TargetOriginId: "alb", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    );
    const reader = new AwsWafReader(clients, ACCOUNT, REGION);
    const albs = await reader.loadBalancers();
    const distributions = await reader.distributions();
    expect(albs.map((a) => [a.name, a.instanceIds, a.webAcl?.kind ?? "none"]).sort()).toEqual([
      ["bare", ["i-0000000000000bar1"], "none"],
      ["cms", ["i-0000000000000cms1"], "none"],
      ["web", ["i-0000000000000web1"], "wafv2"],
    ]);
    const doors = frontDoorsOf(albs, distributions);
    const cloudfront = doors.find((d) => d.kind === "cloudfront");
    expect(cloudfront?.instanceIds).toEqual(["i-0000000000000cms1"]);
    const live = await reader.readWebAcl(aclArn);
    const protectedInstances = new Map<string, ProtectedInstance>([
      ["i-0000000000000web1", instance("i-0000000000000web1", ["Web Server Common"])],
      ["i-0000000000000cms1", instance("i-0000000000000cms1", ["Web Application PHP Based"])],
      ["i-0000000000000bar1", instance("i-0000000000000bar1", ["Web Server Common"])],
    ]);
    const rows = evaluateWafCoverage({
      doors,
      webAcls: new Map([[aclArn, { ok: true, acl: live }]]),
      protectedInstances,
    });
    expect(
      rows
        .filter((r) => r.flagged)
        .map((r) => r.resourceName)
        .sort(),
    ).toEqual(["bare", "cms", cloudfront?.name].sort());
    const webRow = rows.find((r) => r.resourceName === "web");
    expect(webRow?.missingGroups.map((g) => g.name)).toEqual([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesLinuxRuleSet",
      "AWSManagedRulesUnixRuleSet",
    ]);
  }, 60_000);

  it("adds the groups in count mode after the existing rules, a second apply changes nothing, rollback restores exactly", async () => {
    const writer = new AwsWafWriter(clients, ACCOUNT, REGION);
    const groups = [
      { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
      { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" },
    ];
    const before = await getAcl();
    const first = await writer.editWebAcl(aclArn, (current) => ({
      add: planAdditions(current, groups),
      removeNames: [],
    }));
    expect(first.changed).toBe(true);
    const after = await getAcl();
    expect(after.DefaultAction).toEqual(before.DefaultAction);
    expect(after.Rules?.[0]).toEqual(before.Rules?.[0]);
    expect(after.Rules?.slice(1).map((r) => [r.Name, r.Priority, r.OverrideAction])).toEqual([
      ["wshub-AWSManagedRulesCommonRuleSet", 4, { Count: {} }],
      ["wshub-AWSManagedRulesSQLiRuleSet", 5, { Count: {} }],
    ]);
    const second = await writer.editWebAcl(aclArn, (current) => ({
      add: planAdditions(current, groups),
      removeNames: [],
    }));
    expect(second.changed).toBe(false);
    const undone = await writer.editWebAcl(aclArn, () => ({
      add: [],
      removeNames: ["wshub-AWSManagedRulesCommonRuleSet", "wshub-AWSManagedRulesSQLiRuleSet"],
    }));
    expect(undone.after.rulesDocument).toBe(first.before.rulesDocument);
    expect((await getAcl()).Rules).toEqual(before.Rules);
  }, 60_000);

  it("survives a concurrent WebACL change through the lock token: re-reads, decides again, keeps the other change", async () => {
    let raced = false;
    // Another writer updates the WebACL with the token we read, just before our UpdateWebACL is sent.
    const racing: WAFV2Client = Object.assign(Object.create(clients.wafv2), {
      send: async (command: Parameters<WAFV2Client["send"]>[0]) => {
        if (command instanceof UpdateWebACLCommand && !raced) {
          raced = true;
          await concurrentChange(command.input.LockToken ?? "");
        }
        return clients.wafv2.send(command);
      },
    });
    const writer = new AwsWafWriter({ wafv2: racing, wafv2Global: racing }, ACCOUNT, REGION);
    const php = [{ vendorName: "AWS", name: "AWSManagedRulesPHPRuleSet" }];
    const result = await writer.editWebAcl(aclArn, (current) => ({
      add: planAdditions(current, php),
      removeNames: [],
    }));
    expect(result.attempts).toBe(2);
    const rules = (await getAcl()).Rules ?? [];
    expect(rules.map((r) => r.Name)).toEqual([
      "customer-rate-limit",
      "someone-else",
      "wshub-AWSManagedRulesPHPRuleSet",
    ]);
    expect(rules.find((r) => r.Name === "wshub-AWSManagedRulesPHPRuleSet")?.Priority).toBe(4);
  }, 60_000);
});

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The hub of one account (single-account mode) on moto: WAF through the runtime's access, its tenant in memory. */
async function wafHub(outputDir: string): Promise<HubContext> {
  const hubConfig = parseHubConfig({
    hub: { homeRegion: REGION, regions: [REGION] },
    organization: { mode: "single-account" },
    tenants: [{ name: "web", apiKeySecret: "wshub/web", url: "http://127.0.0.1:9/api" }],
    mapping: { defaultTenant: "web" },
    reports: { sender: "wshub@example.com", outputDir },
    store: { findingsTable: "waf-findings", runsTable: "waf-runs", auditTable: "waf-audit" },
    waf: { mode: "recommend", allowAccounts: [ACCOUNT] },
    endpoints: { aws: moto.endpoint },
  });
  const runtime = createHubContext({ config: hubConfig, logger: quiet, credentials: config().credentials });
  await ensureTables(runtime);
  if (!runtime.waf) throw new Error("the runtime built no WAF access");
  return Object.assign(runtime, {
    tenantApi: () => wafTenantApi(),
    secrets: { readApiKey: async () => "sandbox-key" },
    waf: withCatalogue(runtime.waf),
  });
}

interface WafJson {
  runId: string;
  mode: string;
  rows: WafRow[];
  plan: WebAclTarget[];
  events: AuditEvent[];
  updates: number;
  errors: unknown[];
}

/** `wshub waf -o json` on the context: exit code and parsed output. */
async function wafJson(ctx: HubContext, mode?: "apply"): Promise<{ code: number; out: WafJson }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await wafWith(ctx, { output: "json", ...(mode ? { mode } : {}) });
    return { code, out: JSON.parse(chunks.join("")) };
  } finally {
    spy.mockRestore();
  }
}

const names = (groups: { name: string }[]) => groups.map((g) => g.name);

describe("wshub waf on the scenario: ALB + WebACL before a web server, CloudFront before a CMS, an unprotected ALB", () => {
  let ctx: HubContext;
  let dir = "";
  let beforeRules: unknown;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wshub-waf-"));
    ctx = await wafHub(dir);
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("recommends per resource, flags the doors with no WebACL first, and the WAF sheet and waf.csv say so", async () => {
    const { code, out } = await wafJson(ctx);
    expect(code).toBe(0);
    expect(out.mode).toBe("recommend");
    expect(out.errors).toEqual([]);
    const byName = new Map(out.rows.map((r) => [r.resourceKind === "cloudfront" ? "cloudfront" : r.resourceName, r]));
    expect(out.rows.slice(0, 3).every((r) => r.flagged)).toBe(true);
    expect(
      out.rows
        .filter((r) => r.flagged)
        .map((r) => r.resourceName === "bare" || r.resourceName === "cms" || r.resourceKind === "cloudfront"),
    ).toEqual([true, true, true]);
    const web = byName.get("web");
    expect(web).toMatchObject({
      status: "missing-groups",
      classes: ["web-server"],
      policies: ["Linux Web"],
      flagged: false,
    });
    expect(names(web?.missingGroups ?? [])).toEqual([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesLinuxRuleSet",
      "AWSManagedRulesUnixRuleSet",
    ]);
    const cdn = byName.get("cloudfront");
    expect(cdn).toMatchObject({ status: "no-webacl", flagged: true, classes: ["web-server", "web-application"] });
    expect(cdn?.protectedInstanceIds).toEqual(["i-0000000000000cms1"]);
    expect(names(cdn?.recommendedGroups ?? [])).toContain("AWSManagedRulesWordPressRuleSet");
    expect(byName.get("bare")).toMatchObject({ status: "no-webacl", flagged: true, webAclKind: "none" });

    const workbook = join(dir, "waf.xlsx");
    await writeAccountWorkbook(workbook, { coverage: emptyCoverage(), meta: META, sections: { waf: out.rows } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    const sheet = book.getWorksheet("WAF");
    expect(sheet?.getRow(1).values).toEqual([undefined, ...WAF_COLUMNS.map((c) => c.header)]);
    expect(sheet?.rowCount).toBe(out.rows.length + 1);
    expect(sheet?.getRow(2).getCell(1).value).toBe("yes");
    const csv = parse(await csvText(out.rows), { columns: true }) as Record<string, string>[];
    const webLine = csv.find((line) => line["resource_name"] === "web");
    expect(webLine?.["missing_groups"]).toBe(
      "AWS:AWSManagedRulesCommonRuleSet; AWS:AWSManagedRulesKnownBadInputsRuleSet; AWS:AWSManagedRulesLinuxRuleSet; AWS:AWSManagedRulesUnixRuleSet",
    );
    expect(csv.filter((line) => line["flagged"] === "yes")).toHaveLength(3);
  }, 10_000);

  it("the weekly run's per-account check gives the same rows, stored with the run and read back for its report", async () => {
    const { out } = await wafJson(ctx);
    const waf = ctx.waf;
    if (!waf) throw new Error("no WAF access");
    const snapshot = { ...(await wafTenantApi().loadSnapshot({ includePolicies: true })) };
    await withApplicationTypes(ctx, wafTenantApi(), snapshot);
    const account: OrgAccount = { id: ACCOUNT, name: "waf", email: "", status: "ACTIVE", ouPath: [], tags: {} };
    const runId = "run-20261202T100000Z-waf3";
    const result = await checkAccountWaf({ ...ctx, waf }, { runId, account, view: wafTenantView("web", snapshot) });
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual(out.rows);
    // What a rebuilt report (`wshub report --run`) or the deployed ReportAccount reads back from the runs table.
    expect((await storedSections(ctx, runId, ACCOUNT)).waf).toEqual(out.rows);
  }, 10_000);

  it("apply adds the missing groups in count mode after the existing rules (plan first); a second apply changes nothing", async () => {
    const before = await getAcl();
    beforeRules = before.Rules;
    const { code, out } = await wafJson(ctx, "apply");
    expect(code).toBe(0);
    expect(out.plan.map((t) => [t.webAclArn, names(t.groups)])).toEqual([
      [
        aclArn,
        [
          "AWSManagedRulesCommonRuleSet",
          "AWSManagedRulesKnownBadInputsRuleSet",
          "AWSManagedRulesLinuxRuleSet",
          "AWSManagedRulesUnixRuleSet",
        ],
      ],
    ]);
    expect(out.events.map((e) => e.action)).toEqual(["intent", "applied"]);
    const after = await getAcl();
    expect(after.DefaultAction).toEqual(before.DefaultAction);
    expect(after.Rules?.slice(0, before.Rules?.length)).toEqual(before.Rules);
    const highest = Math.max(...(before.Rules ?? []).map((r) => r.Priority ?? 0));
    expect(after.Rules?.slice(before.Rules?.length).map((r) => [r.Name, r.Priority, r.OverrideAction])).toEqual([
      ["wshub-AWSManagedRulesCommonRuleSet", highest + 1, { Count: {} }],
      ["wshub-AWSManagedRulesKnownBadInputsRuleSet", highest + 2, { Count: {} }],
      ["wshub-AWSManagedRulesLinuxRuleSet", highest + 3, { Count: {} }],
      ["wshub-AWSManagedRulesUnixRuleSet", highest + 4, { Count: {} }],
    ]);
    const again = await wafJson(ctx, "apply");
    expect(again.code).toBe(0);
    expect(again.out.plan).toEqual([]);
    expect(again.out.updates).toBe(0);
    expect((await getAcl()).Rules).toEqual(after.Rules);

    const undone = await rollbackRun(ctx, out.runId, "tester");
    const rolledBack = undone.events.filter((e) => e.action === "rolled-back");
    expect(rolledBack.map((e) => e.details?.["exact"])).toEqual([true]);
    expect((await getAcl()).Rules).toEqual(beforeRules);
  }, 10_000);

  it("a rollback after someone else changed the WebACL removes only wshub's rules, keeps the change, says not exact", async () => {
    const { out } = await wafJson(ctx, "apply");
    const { name, id } = parseWebAclArn(aclArn);
    const current = await clients.wafv2.send(new GetWebACLCommand({ Name: name, Id: id, Scope: "REGIONAL" }));
    const theirs = { ...existingRule, Name: "their-later-rule", Priority: 50 };
    await clients.wafv2.send(
      new UpdateWebACLCommand({
        Name: name,
        Id: id,
        Scope: "REGIONAL",
        LockToken: current.LockToken,
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility,
        Rules: [...(current.WebACL?.Rules ?? []), theirs],
      }),
    );
    const undone = await rollbackRun(ctx, out.runId, "tester");
    const event = undone.events.find((e) => e.action === "rolled-back");
    expect(event?.details?.["exact"]).toBe(false);
    expect(event?.reason).toMatch(/not exact/);
    const rules = (await getAcl()).Rules ?? [];
    expect(rules.map((r) => r.Name)).toEqual([
      ...((beforeRules as { Name: string }[]) ?? []).map((r) => r.Name),
      "their-later-rule",
    ]);
  }, 10_000);
});

const META = { runId: "run-20260304T120000Z-waf1", week: "2026-W10", generatedAt: "2026-03-04T12:00:00.000Z" };

function emptyCoverage() {
  return {
    runId: META.runId,
    accountId: ACCOUNT,
    accountName: "web",
    ouPath: "",
    tenant: "web",
    rows: [],
    instancesWithoutAgent: [],
    findingCounts: emptyFindingCounts(),
    evaluatedAt: META.generatedAt,
  };
}

async function csvText(rows: WafRow[]): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeWafCsv(sink, rows);
  return Buffer.concat(chunks).toString("utf8");
}

/** Another writer updates the WebACL with the same lock token first, so ours gets WAFOptimisticLockException. */
async function concurrentChange(lockToken: string): Promise<void> {
  const { name, id } = parseWebAclArn(aclArn);
  await clients.wafv2.send(
    new UpdateWebACLCommand({
      Name: name,
      Id: id,
      Scope: "REGIONAL",
      LockToken: lockToken,
      DefaultAction: { Allow: {} },
      VisibilityConfig: visibility,
      Rules: [existingRule, { ...existingRule, Name: "someone-else", Priority: 1 }],
    }),
  );
}

async function getAcl() {
  const { name, id } = parseWebAclArn(aclArn);
  const answer = await clients.wafv2.send(new GetWebACLCommand({ Name: name, Id: id, Scope: "REGIONAL" }));
  if (!answer.WebACL) throw new Error("no WebACL");
  return answer.WebACL;
}

function instance(instanceId: string, applicationTypes: string[]): ProtectedInstance {
  return { instanceId, computerId: 1, policyId: 1, policyName: "Base", applicationTypes, ruleNames: [] };
}
