/**
 * `pnpm bench --only waf --sizes S`: the WAF inventory of a generated organization, in process, through `checkWaf`
 * (recommend mode) with member-role access built as the runtime builds it. Counts the AWS calls each account makes at
 * the sandbox and checks they equal the paging lower bound computed from the scenario (see `inventoryLowerBound`).
 */
import { cliLogger, demoConfig } from "@wshub/cli";
import { MemberRoleWafAccess } from "@wshub/aws";
import { parseHubConfig, type HubConfigInput, type OrgAccount } from "@wshub/core";
import { checkWaf } from "@wshub/hub";
import { createHubContext } from "@wshub/runtime";
import { generateScenario, startSandbox, type Scenario, type ScenarioSize } from "@wshub/sandbox";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Page sizes the reader asks for: DescribeLoadBalancers/DescribeTargetGroups 400, ListDistributions 100. */
const ELB_PAGE = 400;
const CLOUDFRONT_PAGE = 100;
/** ListAvailableManagedRuleGroups' page (the catalogue is one page per scope). */
const CATALOGUE_PAGE = 100;
/** The sandbox's managed rule group catalogue (packages/sandbox/fixtures/wafv2/managed-rule-groups.json). */
const CATALOGUE_GROUPS = 15;
const INVENTORY_APIS = ["elasticloadbalancing", "wafv2", "cloudfront"];

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * The fewest calls one account's inventory can make in `regions`: per region one DescribeLoadBalancers page per 400
 * ALBs, then (when there is one) one DescribeTargetGroups page per 400 groups, one DescribeTargetHealth per group and
 * one GetWebACLForResource per ALB; once per account one ListDistributions page per 100 distributions, one GetWebACL
 * per WebACL in use, and the catalogue in each scope.
 */
export function inventoryLowerBound(scenario: Scenario, accountId: string, regions: string[]): number {
  const lbs = (scenario.loadBalancers ?? []).filter((lb) => lb.accountId === accountId);
  let calls = 0;
  for (const region of regions) {
    const here = lbs.filter((lb) => lb.region === region);
    const groups = here.reduce((n, lb) => n + lb.targetGroups.length, 0);
    calls += pages(here.length, ELB_PAGE) + (here.length > 0 ? pages(groups, ELB_PAGE) + groups + here.length : 0);
  }
  const distributions = (scenario.distributions ?? []).filter((d) => d.accountId === accountId);
  const aclsInUse = new Set([
    ...lbs.flatMap((lb) => (lb.webAcl && regions.includes(lb.region) ? [`R/${lb.region}/${lb.webAcl}`] : [])),
    ...distributions.flatMap((d) => (d.webAcl ? [`C/${d.webAcl}`] : [])),
  ]);
  return (
    calls + pages(distributions.length, CLOUDFRONT_PAGE) + aclsInUse.size + 2 * pages(CATALOGUE_GROUPS, CATALOGUE_PAGE)
  );
}

export async function benchWaf(size: ScenarioSize, seed: number): Promise<{ report: string; ok: boolean }> {
  const generated = generateScenario({ seed, size });
  const { scenario } = generated;
  const sandbox = await startSandbox(scenario);
  try {
    const input: HubConfigInput = demoConfig(sandbox.info, mkdtempSync(join(tmpdir(), "wshub-waf-")));
    input.mapping = generated.mapping;
    const config = parseHubConfig(input, "bench");
    const { hub } = sandbox.info.aws;
    const ctx = createHubContext({
      config,
      logger: cliLogger({ human: true, level: "error" }),
      credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey },
    });
    const role = sandbox.info.aws.memberRole;
    const waf = new MemberRoleWafAccess(
      {
        settings: ctx.clients.settings,
        credentials: ctx.clients.credentials,
        hubCredentials: ctx.clients.hubCredentials,
      },
      { memberRole: { name: role.name, externalId: role.externalId }, writeRoleName: config.waf.writeRoleName },
    );
    const accounts: OrgAccount[] = scenario.organization.accounts
      .filter(
        (a) => a.status === "ACTIVE" && a.memberRoleDeployed && a.id !== scenario.organization.managementAccountId,
      )
      .map((a) => ({ id: a.id, name: a.name, email: a.email, status: "ACTIVE", ouPath: [], tags: a.tags }));
    sandbox.counter.reset();
    const started = performance.now();
    const outcome = await checkWaf(
      { ...ctx, waf },
      { runId: "bench-waf", actor: "bench" },
      { accounts, tenants: () => Promise.resolve({ tenants: [], errors: [] }), mode: "recommend" },
    );
    const wallMs = Math.round(performance.now() - started);
    const calls = sandbox.counter.snapshot();
    const perAccount = accounts.map((a) => {
      const made = INVENTORY_APIS.reduce((n, api) => n + sum(calls[api]?.bySubjectOperation[a.id]), 0);
      return { id: a.id, made, bound: inventoryLowerBound(scenario, a.id, config.hub.regions) };
    });
    const off = perAccount.filter((a) => a.made !== a.bound);
    const tiers = perAccount.filter((a) => (scenario.loadBalancers ?? []).some((lb) => lb.accountId === a.id));
    const operations = INVENTORY_APIS.flatMap((api) =>
      Object.entries(calls[api]?.byOperation ?? {}).map(([op, n]) => `${op} ${n}`),
    );
    const report = [
      `## waf ${size}: ${accounts.length} accounts (${tiers.length} with a web tier), ${generated.facts.webTier.loadBalancers} ALBs, ${generated.facts.webTier.targetGroups} target groups, ${generated.facts.webTier.distributions} distributions, ${generated.facts.webTier.webAcls} WebACLs, regions ${config.hub.regions.join(", ")}`,
      `wall ${wallMs} ms, ${outcome.rows.length} rows, ${outcome.errors.length} errors, checkWaf counted ${outcome.calls} calls`,
      `inventory calls at the sandbox ${perAccount.reduce((n, a) => n + a.made, 0)} vs Σ lower bound ${perAccount.reduce((n, a) => n + a.bound, 0)}; accounts off the bound: ${off.length}${off.length ? ` (first: ${off[0]?.id} made ${off[0]?.made}, bound ${off[0]?.bound})` : ""}`,
      `by operation: ${operations.join(", ")}; sts AssumeRole ${calls["sts"]?.byOperation["AssumeRole"] ?? 0}`,
      `largest web tier: ${[...tiers].sort((a, b) => b.bound - a.bound)[0]?.made ?? 0} calls; an account without one: ${perAccount.find((a) => !tiers.includes(a))?.made ?? "none"}`,
    ].join("\n");
    return { report, ok: off.length === 0 && outcome.errors.length === 0 };
  } finally {
    await sandbox.stop();
  }
}

function sum(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}
