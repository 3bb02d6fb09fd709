/**
 * `pnpm bench --only compliance --sizes S`: a periodic AWS Config pass over a generated organization, in process:
 * one ScheduledNotification a rule for every account and region with instances, evaluated with one fleet cache.
 * Checks that each rule puts ⌈instances/100⌉ PutEvaluations calls per account and region, and that each tenant's
 * fleet is read once (one keyset paging of /computers/search) for all rules and accounts together.
 */
import { cliLogger, demoConfig } from "@wshub/cli";
import { parseHubConfig, type HubConfigInput } from "@wshub/core";
import { evaluateConfigInvocation, newFleetCache } from "@wshub/hub";
import { createHubContext, ensureTables } from "@wshub/runtime";
import { buildInvocation, generateScenario, startSandbox, type ScenarioSize } from "@wshub/sandbox";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RULES = [{ rule: "ws-agent-active" }, { rule: "ws-module-on", module: "intrusionPrevention" }];
/** The vendor's search page (keyset paging). */
const WS_PAGE = 5000;

export async function benchCompliance(size: ScenarioSize, seed: number): Promise<string> {
  const generated = generateScenario({ seed, size });
  const sandbox = await startSandbox(generated.scenario);
  try {
    const input: HubConfigInput = demoConfig(sandbox.info, mkdtempSync(join(tmpdir(), "wshub-compliance-")));
    input.mapping = generated.mapping;
    const { hub } = sandbox.info.aws;
    const ctx = createHubContext({
      config: parseHubConfig(input, "bench"),
      logger: cliLogger({ human: true, level: "error" }),
      credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey },
    });
    await ensureTables(ctx);
    const groups = new Map<string, { accountId: string; region: string; instances: number }>();
    for (const i of generated.scenario.instances) {
      const key = `${i.accountId}|${i.region}`;
      const group = groups.get(key) ?? { accountId: i.accountId, region: i.region, instances: 0 };
      group.instances++;
      groups.set(key, group);
    }
    sandbox.counter.reset();
    const fleets = newFleetCache();
    const started = performance.now();
    let expectedPuts = 0;
    let evaluations = 0;
    const failed: string[] = [];
    for (const group of groups.values())
      for (const parameters of RULES) {
        const event = buildInvocation(sandbox.aws.config, {
          kind: "scheduled",
          ruleName: `bench-${parameters.rule}`,
          parameters,
          accountId: group.accountId,
          region: group.region,
        });
        try {
          const result = await evaluateConfigInvocation(ctx, event, { fleets });
          evaluations += result.evaluations.length;
          if (result.tenant !== null) expectedPuts += Math.ceil(group.instances / 100);
        } catch (error) {
          failed.push(`${group.accountId}: ${(error as Error).message}`);
        }
      }
    const wallMs = Math.round(performance.now() - started);
    const calls = sandbox.counter.snapshot();
    const puts = calls["config"]?.byOperation["PutEvaluations"] ?? 0;
    const searches = calls["workload-security"]?.bySubjectOperation ?? {};
    const tenants = generated.scenario.workloadSecurity.tenants;
    const fleetReads = tenants.map((t) => {
      const lower = Math.floor(t.computers.length / WS_PAGE) + 1;
      return `${t.name} ${searches[t.name]?.["searchComputers"] ?? 0} (paging lower bound ${lower})`;
    });
    return [
      `## compliance ${size}: ${groups.size} account-regions, ${generated.scenario.instances.length} instances, ${RULES.length} rules`,
      `wall ${wallMs} ms, ${evaluations} evaluations`,
      `PutEvaluations calls ${puts} (expected Σ⌈instances/100⌉ over mapped account-regions × rules = ${expectedPuts})`,
      `searchComputers per tenant: ${fleetReads.join(", ")}`,
      `failed invocations: ${failed.length}${failed.length ? ` (first: ${failed[0]})` : ""}`,
    ].join("\n");
  } finally {
    await sandbox.stop();
  }
}
