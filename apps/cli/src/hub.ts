import type { HubConfig } from "@wshub/core";
import { createHubContext, ensureTables, type RuntimeOptions } from "@wshub/runtime";
import { loadConfigFile, resolveConfigPath } from "./config-file.js";
import { cliLogger } from "./logger.js";
import type { CommandOptions } from "./options.js";
import { terminalProgress } from "./progress.js";
import { ReportPool } from "./workers/report-pool.js";

export interface GlobalOptions extends CommandOptions {
  config?: string;
  createTables?: boolean;
  /** `--profile`: the hub's credentials from this named AWS profile. */
  profile?: string;
  /** `--region`: replaces hub.homeRegion. */
  region?: string;
  /** Render account reports on worker threads (whole runs). */
  reportWorkers?: boolean;
}

export type CliContext = ReturnType<typeof createHubContext> & { finishProgress(): void; close(): Promise<void> };

/** Load and validate the configuration, then build the hub context the commands use. */
export async function openHub(options: GlobalOptions, extra: Partial<RuntimeOptions> = {}): Promise<CliContext> {
  const config = loadConfigFile(resolveConfigPath(options.config));
  return openHubWith(config, options, extra);
}

export async function openHubWith(
  config: HubConfig,
  options: GlobalOptions,
  extra: Partial<RuntimeOptions> = {},
): Promise<CliContext> {
  const json = options.output === "json";
  const human = process.stderr.isTTY === true && !json;
  const logger = cliLogger({ human, level: options.verbose ? "debug" : human ? "warn" : "info" });
  const progress = terminalProgress();
  const ctx = createHubContext({
    config,
    logger,
    ...(json ? {} : { progress }),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...extra,
  });
  // A custom AWS endpoint (the sandbox, a local DynamoDB) has no hub stack to make the tables: make them.
  if (options.createTables || config.endpoints?.aws !== undefined) await ensureTables(ctx);
  // Account reports render on spare cores (worker threads) while the main thread evaluates.
  const pool = options.reportWorkers
    ? new ReportPool({
        // The context's configuration: --region already applied.
        config: ctx.config,
        human,
        ...(options.verbose ? { verbose: true } : {}),
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...(extra.credentials ? { credentials: extra.credentials } : {}),
        ...(extra.outputDir ? { outputDir: extra.outputDir } : {}),
        ...(extra.emlDir ? { emlDir: extra.emlDir } : {}),
      })
    : undefined;
  if (pool?.enabled) ctx.accountReporter = pool.report;
  return Object.assign(ctx, { finishProgress: () => progress.done(), close: async () => pool?.close() });
}
