import { mkdir, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseHubConfig } from "@wshub/core";
import { runHub } from "@wshub/hub";
import { demoConfig } from "../demo-config.js";
import { runSummary } from "../format.js";
import { openHubWith } from "../hub.js";
import type { CommandOptions } from "../options.js";
import { startSandboxFrom } from "../sandbox-session.js";
import { exitCodeForRun } from "./run.js";

export interface DemoOptions extends CommandOptions {
  out?: string;
  scenario?: string;
}

/**
 * `wshub demo`: start the sandbox with the built-in scenario, run wshub end to end against it (reports written, e-mails
 * sent through the sandbox's SES and kept as .eml files), print the result and where everything is, stop the sandbox.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const outputDir = resolve(options.out ?? "out/demo");
  await mkdir(outputDir, { recursive: true });
  process.stderr.write(
    "starting the sandbox (moto, DynamoDB Local, Inspector2 emulator, Workload Security simulator)…\n",
  );
  const { sandbox } = await startSandboxFrom(options.scenario ? { scenario: options.scenario } : {});
  try {
    const config = parseHubConfig(demoConfig(sandbox.info, outputDir), "demo configuration");
    const ctx = await openHubWith(
      config,
      { output: options.output ?? "table", verbose: options.verbose ?? false, createTables: true, reportWorkers: true },
      {
        credentials: {
          accessKeyId: sandbox.info.aws.hub.accessKeyId,
          secretAccessKey: sandbox.info.aws.hub.secretAccessKey,
        },
        emlDir: join(outputDir, "emails"),
      },
    );
    const outcome = await runHub(ctx, { trigger: "cli", keepRows: false }).finally(() => ctx.close());
    ctx.finishProgress();
    const accounts = await ctx.runs.listAccountRuns(outcome.run.runId);
    const reportDir = join(outputDir, outcome.run.runId);
    const files = await readdir(reportDir).catch(() => []);
    const emails = await readdir(join(outputDir, "emails")).catch(() => []);
    if (options.output === "json") {
      process.stdout.write(
        `${JSON.stringify({ run: outcome.run, accounts, reports: reportDir, files, emails: join(outputDir, "emails"), sent: sandbox.aws.outbox().length }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(
        [
          runSummary(outcome.run, accounts),
          "",
          `reports (${files.length} files): ${reportDir}`,
          `e-mails (${emails.length} .eml files, ${sandbox.aws.outbox().length} accepted by the sandbox's SES): ${join(outputDir, "emails")}`,
          `calls counted at the sandbox: ${Object.entries(sandbox.counter.snapshot())
            .map(([api, s]) => `${api} ${s.total}`)
            .join(", ")}`,
          "",
        ].join("\n"),
      );
    }
    return exitCodeForRun(outcome.run.status, false);
  } finally {
    await sandbox.stop();
  }
}
