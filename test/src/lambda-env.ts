import type { HubConfig } from "@wshub/core";
import { resetHubContext } from "@wshub/functions";
import type { World } from "./harness.js";

/**
 * What the hub stack gives every function, for handlers called in this process: the configuration (inline) and the
 * hub's credentials. The handlers' cached context is dropped so the next call builds it from these.
 */
export function useLambdaEnvironment(world: World, config: HubConfig): void {
  Object.assign(process.env, {
    WSHUB_CONFIG_JSON: JSON.stringify(config),
    WSHUB_OUTPUT_DIR: `${world.outputDir}/functions`,
    AWS_ACCESS_KEY_ID: world.sandbox.info.aws.hub.accessKeyId,
    AWS_SECRET_ACCESS_KEY: world.sandbox.info.aws.hub.secretAccessKey,
    AWS_REGION: world.sandbox.info.region,
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  delete process.env["WSHUB_CONFIG_PARAMETER"];
  resetHubContext();
}
