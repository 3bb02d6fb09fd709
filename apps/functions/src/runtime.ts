import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Logger } from "@aws-lambda-powertools/logger";
import { parseHubConfig, type HubConfig, type Logger as HubLogger } from "@wshub/core";
import { silentProgress, type HubContext } from "@wshub/hub";
import { createHubContext, type HubClients } from "@wshub/runtime";
import { parseFunctionEnv, type FunctionEnv } from "./env.js";

export const logger = new Logger({ serviceName: process.env["POWERTOOLS_SERVICE_NAME"] ?? "wshub" });

/** The hub's Logger port over Powertools (structured JSON in CloudWatch; fields become keys of the entry). */
const hubLogger: HubLogger = {
  debug: (message, fields = {}) => logger.debug(message, fields),
  info: (message, fields = {}) => logger.info(message, fields),
  warn: (message, fields = {}) => logger.warn(message, fields),
  error: (message, fields = {}) => logger.error(message, fields),
};

let context: Promise<HubContext & { clients: HubClients }> | undefined;

/** Built once per container (cold start): configuration, clients, adapters. Handlers stay thin. */
export function hubContext(): Promise<HubContext & { clients: HubClients }> {
  context ??= build().catch((error: unknown) => {
    context = undefined;
    throw error;
  });
  return context;
}

/** Tests drive several configurations in one process. */
export function resetHubContext(): void {
  context = undefined;
}

async function build(): Promise<HubContext & { clients: HubClients }> {
  const env = parseFunctionEnv(process.env);
  const config = deployedSignals(await loadConfig(env.WSHUB_CONFIG_PARAMETER, env.WSHUB_CONFIG_JSON), env);
  return createHubContext({
    config,
    logger: hubLogger,
    progress: silentProgress,
    outputDir: env.WSHUB_OUTPUT_DIR,
    // Named in the leases this container holds.
    host: `${process.env["AWS_LAMBDA_FUNCTION_NAME"] ?? "lambda"} ${process.env["AWS_LAMBDA_LOG_STREAM_NAME"] ?? ""}`.trim(),
  });
}

/** What the stack sets on the react function (its table, its concurrency) wins over the configuration's values. */
export function deployedSignals(config: HubConfig, env: FunctionEnv): HubConfig {
  const table = env.WSHUB_SIGNALS_TABLE ?? config.signals.table;
  const concurrency = env.WSHUB_REACT_CONCURRENCY ?? config.signals.concurrency;
  return { ...config, signals: { ...config.signals, table, concurrency } };
}

async function loadConfig(parameter: string | undefined, inline: string | undefined): Promise<HubConfig> {
  if (inline !== undefined) return parseHubConfig(JSON.parse(inline), "WSHUB_CONFIG_JSON");
  const ssm = new SSMClient({});
  const answer = await ssm.send(new GetParameterCommand({ Name: parameter }));
  return parseHubConfig(JSON.parse(answer.Parameter?.Value ?? "{}"), `SSM parameter ${parameter}`);
}
