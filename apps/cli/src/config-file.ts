import { existsSync, readFileSync } from "node:fs";
import { ERROR_CODES, parseHubConfig, WshubError, type HubConfig } from "@wshub/core";
import { parse as parseYaml } from "yaml";

export const DEFAULT_CONFIG_FILES = ["wshub.yaml", "wshub.yml", "wshub.json"];

/** Find the configuration: --config, else WSHUB_CONFIG, else wshub.yaml|yml|json in the working directory. */
export function resolveConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const candidate = explicit ?? env["WSHUB_CONFIG"];
  if (candidate !== undefined) {
    if (!existsSync(candidate))
      throw new WshubError(ERROR_CODES.CONFIG_NOT_FOUND, `configuration file ${candidate} does not exist`, {
        path: candidate,
      });
    return candidate;
  }
  const found = DEFAULT_CONFIG_FILES.find((name) => existsSync(name));
  if (!found)
    throw new WshubError(
      ERROR_CODES.CONFIG_NOT_FOUND,
      `no configuration: pass --config FILE, set WSHUB_CONFIG, or create ${DEFAULT_CONFIG_FILES[0]} (see docs/configuration.md)`,
      {},
    );
  return found;
}

export function loadConfigFile(path: string): HubConfig {
  const text = readFileSync(path, "utf8");
  let raw: unknown;
  try {
    raw = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new WshubError(
      ERROR_CODES.CONFIG_INVALID,
      `${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
      { path },
    );
  }
  return parseHubConfig(raw, path);
}
