import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HubConfigInput } from "@wshub/core";
import type { World } from "./harness.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `wshub` process as a user starts it: its own process, the hub's credentials from the environment. */
export interface CliProcess {
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr(): string;
  done: Promise<CliResult>;
}

/** The environment a user on the sandbox has: the hub's credentials and region in the standard variables. */
export function sandboxEnv(world: World): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: world.sandbox.info.aws.hub.accessKeyId,
    AWS_SECRET_ACCESS_KEY: world.sandbox.info.aws.hub.secretAccessKey,
    AWS_REGION: world.sandbox.info.region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** `env` replaces the sandbox environment (tests of credentials and profiles). */
export function startWshub(world: World, args: string[], env: NodeJS.ProcessEnv = sandboxEnv(world)): CliProcess {
  return startCli(join(ROOT, "apps/cli/bin/wshub.mjs"), args, env);
}

/** `node <entry> <args>`: the bin (tsx over the sources) or the bundled CLI (apps/cli/scripts/bundle.ts). */
export function startCli(entry: string, args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [entry, ...args], { cwd: ROOT, env });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, stderr: () => stderr, done };
}

export function wshub(world: World, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return startWshub(world, args, env).done;
}

/** Write a configuration for this world (demo configuration plus `changes`) to a file in its output folder. */
export function configFile(world: World, name: string, changes?: (config: HubConfigInput) => void): string {
  const path = join(world.outputDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(world.config(changes)));
  return path;
}

/** Poll until `check` holds (or give up after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
