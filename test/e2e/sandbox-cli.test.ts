import { execFileSync, spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Info {
  region: string;
  aws: { endpoint: string; hub: { accessKeyId: string; secretAccessKey: string } };
  workloadSecurity: { url: string };
  control: { url: string };
}

/**
 * `wshub sandbox` as a child process, resolved once it has printed its JSON object: the CLI itself, or (`viaDev`) as
 * a user starts it, through its whole launcher chain `./dev` (bash, then pnpm) → `sh -c` → tsx → the CLI.
 */
async function startCli(
  args: string[] = [],
  viaDev = false,
): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; info: Info }> {
  const [command, ...argv] = viaDev
    ? [join(ROOT, "dev"), "sandbox", ...args]
    : [process.execPath, "--import", "tsx", join(ROOT, "apps/cli/src/main.ts"), "sandbox", ...args];
  const child = spawn(command as string, argv, {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON within 150 s: ${stdout}`)), 150_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve(JSON.parse(stdout) as Info);
        clearTimeout(timer);
      } catch {
        /* not complete yet */
      }
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
  });
  return { child, info };
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift() as number) ?? []) {
      all.push(c);
      queue.push(c);
    }
  }
  return all;
}

/** The executable names of these processes (python3 for moto, java for DynamoDB Local, node for tsx and the CLI). */
function commands(pids: number[]): string[] {
  return pids.map((pid) => {
    try {
      return basename(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "");
    } catch {
      return "";
    }
  });
}

/** Running (a zombie, ended but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function expectAllGone(pids: number[]): Promise<void> {
  for (let i = 0; i < 20 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 500));
  expect(pids.filter(alive)).toEqual([]);
}

describe("wshub sandbox", () => {
  it("prints one JSON object with every endpoint and credential, serves it, and leaves no process behind on SIGTERM to the top of its chain", async () => {
    const { child, info } = await startCli([], true);
    expect(Object.keys(info)).toEqual(
      expect.arrayContaining(["aws", "dynamodb", "workloadSecurity", "control", "region"]),
    );
    const sts = new STSClient({
      region: info.region,
      endpoint: info.aws.endpoint,
      credentials: { accessKeyId: info.aws.hub.accessKeyId, secretAccessKey: info.aws.hub.secretAccessKey },
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("222222222222");
    const ws = await fetch(`${info.workloadSecurity.url}/apikeys/current`, {
      headers: { "api-version": "v1", authorization: "ApiKey sandbox-key-emea-0001" },
    });
    expect(ws.status).toBe(200);
    const stats = (await (await fetch(`${info.control.url}/stats`)).json()) as Record<string, { total: number }>;
    expect(stats["workload-security"]?.total).toBe(1);

    // ./dev is pnpm by now (exec); SIGTERM ends pnpm and its `sh -c`, not tsx and the CLI below: the CLI sees its
    // launcher chain break and stops the sandbox.
    const family = [child.pid as number, ...descendants(child.pid as number)];
    expect(commands(family)).toEqual(expect.arrayContaining(["sh", "node", "java", "python3"]));
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await expectAllGone(family);
  });

  it("leaves no process behind when the top of its chain is killed abruptly", async () => {
    const { child } = await startCli([], true);
    const family = [child.pid as number, ...descendants(child.pid as number)];
    expect(commands(family)).toEqual(expect.arrayContaining(["java", "python3"]));
    child.kill("SIGKILL");
    await expectAllGone(family);
  });

  it("leaves no process behind even when it is killed abruptly", async () => {
    const { child } = await startCli();
    const family = descendants(child.pid as number);
    expect(family.length).toBeGreaterThan(1);
    child.kill("SIGKILL");
    await expectAllGone(family);
  });

  it("runs the walkthrough of docs/sandbox.md: --write-config, source the env file, wshub run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wshub-walkthrough-"));
    const { child } = await startCli(["--write-config", join(dir, "wshub.yaml")]);
    try {
      const env = Object.fromEntries(
        readFileSync(join(dir, "wshub.env"), "utf8")
          .trim()
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      expect(Object.keys(env)).toEqual([
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
      ]);
      // `./dev wshub run` (here with --config, since ./dev runs in the clone and the file is in a temp folder).
      const cli = [join(ROOT, "apps/cli/src/main.ts"), "run", "--config", join(dir, "wshub.yaml")];
      const run = spawnSync(process.execPath, ["--import", "tsx", ...cli], {
        cwd: ROOT,
        env: { ...process.env, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 420_000);
});
