import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { SandboxInfo } from "@wshub/sandbox";
import { stringify } from "yaml";
import { demoConfig } from "./demo-config.js";

/** Where `--write-config FILE` puts the hub's credentials: FILE's name with `.env` (wshub.yaml → wshub.env). */
export function envFileFor(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile, extname(configFile))}.env`);
}

/**
 * `wshub sandbox --write-config FILE`: a configuration that points at the running sandbox (its endpoints, tenants and
 * secrets; the built-in scenario's OU mapping), and next to it an env file with the hub's credentials, region and
 * endpoint, to `source` before `wshub run`. Returns the two paths.
 */
export async function writeSandboxConfig(
  info: SandboxInfo,
  configFile: string,
): Promise<{ config: string; env: string }> {
  const config = demoConfig(info, "out/sandbox");
  const header = `# Written by \`wshub sandbox --write-config\` for the sandbox at ${info.aws.endpoint} (scenario ${info.scenario}).\n`;
  await writeFile(configFile, header + stringify(config));
  const env = envFileFor(configFile);
  const lines = [
    `AWS_ACCESS_KEY_ID=${info.aws.hub.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${info.aws.hub.secretAccessKey}`,
    `AWS_REGION=${info.region}`,
    `AWS_ENDPOINT_URL=${info.aws.endpoint}`,
  ];
  await writeFile(env, `${lines.join("\n")}\n`, { mode: 0o600 });
  return { config: configFile, env };
}
