import {
  assign,
  collect,
  evaluateAccounts,
  finishRun,
  prepareTenant,
  reportAccount,
  resetHubContext,
  startRun,
} from "@wshub/functions";
import { runHub } from "@wshub/hub";
import { ensureTables } from "@wshub/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedRows, project, projectCoverage } from "../src/expected.js";
import { startWorld, type World } from "../src/harness.js";
import { useLambdaEnvironment } from "../src/lambda-env.js";

let world: World;
const saved = { ...process.env };
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  process.env = saved;
  resetHubContext();
  await world?.stop();
});

describe("the Lambda handlers, driven in the state machine's order", () => {
  it("produce the same coverage rows for example-small as wshub run", async () => {
    const config = world.config(
      (c) => (c.store = { findingsTable: "fn-findings", runsTable: "fn-runs", auditTable: "fn-audit" }),
    );
    useLambdaEnvironment(world, config);
    const cliHub = await world.hub(
      (c) => (c.store = { findingsTable: "fn-findings", runsTable: "fn-runs", auditTable: "fn-audit" }),
    );
    await ensureTables(cliHub);

    const started = await startRun({ trigger: "test" });
    expect(started.ok).toBe(true);
    // The distributed Map hands out batches of account ids with the run id as batch input.
    for (let i = 0; i < started.accountIds.length; i += 5)
      await collect({ Items: started.accountIds.slice(i, i + 5), BatchInput: { runId: started.runId } });
    // Each tenant's snapshot is stored once; the account batches are evaluated from it.
    for (const tenant of started.tenants) await prepareTenant({ runId: started.runId, tenant });
    expect(started.evaluationBatches.flatMap((b) => b.accountIds).sort()).toEqual(started.accountIds.slice().sort());
    for (const batch of started.evaluationBatches) await evaluateAccounts({ runId: started.runId, batch });
    if (started.assign) await assign({ runId: started.runId });
    for (const accountId of started.accountIds) await reportAccount({ runId: started.runId, accountId });
    const finished = await finishRun({ runId: started.runId });
    expect(finished).toMatchObject({ status: "partial", accounts: 6, assessed: 5, failed: 1, rows: 10 });
    // Each evaluated account's WAF check is stored with the run (example-small has no ALB): no rows, zero counts.
    expect(cliHub.waf).toBeDefined();
    const evaluated = (await cliHub.runs.listAccountRuns(started.runId)).filter((r) => r.counts);
    expect(evaluated).toHaveLength(5);
    for (const record of evaluated) {
      expect(record.waf).toMatchObject({ albs: 0, distributions: 0, flagged: 0 });
      expect((await cliHub.runs.getWafResult(started.runId, record.accountId))?.rows).toEqual([]);
    }

    const rows = [];
    for (const accountId of await cliHub.runs.listCoverageAccounts(started.runId))
      rows.push(...(await cliHub.runs.getCoverage(started.runId, accountId))!.rows);
    expect(projectCoverage(rows)).toEqual(project(expectedRows()));

    const viaCli = await runHub(cliHub);
    expect(projectCoverage(viaCli.coverage.flatMap((c) => c.rows))).toEqual(projectCoverage(rows));
  });
});
