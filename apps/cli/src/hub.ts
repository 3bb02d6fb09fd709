import type { HubConfig } from "@wshub/core";
import { createHubContext, ensureTables, type RuntimeOptions } from "@wshub/runtime";
import { loadConfigFile, resolveConfigPath } from "./config-file.js";
import { cliLogger } from "./logger.js";
import { terminalProgress } from "./progress.js";
import { ReportPool } from "./workers/report-pool.js";

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  createTables?: boolean;
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
  const human = process.stderr.isTTY === true && !options.json;
  const logger = cliLogger({ human, level: options.verbose ? "debug" : human ? "warn" : "info" });
  const progress = terminalProgress();
  const ctx = createHubContext({ config, logger, ...(options.json ? {} : { progress }), ...extra });
  if (options.createTables) await ensureTables(ctx);
  // Account reports render on spare cores (worker threads) while the main thread evaluates.
  const pool = options.reportWorkers
    ? new ReportPool({
        config,
        human,
        ...(extra.credentials ? { credentials: extra.credentials } : {}),
        ...(extra.outputDir ? { outputDir: extra.outputDir } : {}),
        ...(extra.emlDir ? { emlDir: extra.emlDir } : {}),
      })
    : undefined;
  if (pool?.enabled) ctx.accountReporter = pool.report;
  return Object.assign(ctx, { finishProgress: () => progress.done(), close: async () => pool?.close() });
}
