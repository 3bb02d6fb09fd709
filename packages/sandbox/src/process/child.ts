import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer, connect } from "node:net";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, WshubError } from "@wshub/core";

/** Runs a command that gets SIGTERM when its parent dies (see the script). */
const PDEATHSIG = fileURLToPath(new URL("../../python/pdeathsig.py", import.meta.url));

/** The Python that runs moto and the sandbox's process wrapper: $WSHUB_PYTHON, else python3. */
export function sandboxPython(): string {
  return process.env["WSHUB_PYTHON"] ?? "python3";
}

/** A free loopback TCP port (bound and released; callers start their server on it right away). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new Error(`process exited with code ${child.exitCode} before listening`);
    if (await canConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Output kept for error messages (the last 64 KB). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start a child process that serves on `port`, wait until it listens, and make sure it dies with us:
 * its own process group is killed on stop, and on our exit if stop was never called.
 */
export async function startService(
  name: string,
  command: string,
  args: string[],
  port: number,
  options: SpawnOptions & { startTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  // Two guards end the service with this process, even when it dies abruptly (SIGKILL, a crash): a watchdog shell
  // polls for us and ends the service when we are gone, and both the shell and the service get SIGTERM from the kernel
  // as soon as their parent dies (pdeathsig.py sets PR_SET_PDEATHSIG, then execs). Killing the group (below) ends all.
  const python = sandboxPython();
  const watchdog =
    'parent=$1; python=$2; wrapper=$3; shift 3; "$python" "$wrapper" $$ "$@" & child=$!; ' +
    "trap 'kill -TERM $child 2>/dev/null' TERM INT; " +
    'while kill -0 "$parent" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; kill -TERM $child 2>/dev/null; wait $child';
  const self = String(process.pid);
  const shell = ["sh", "-c", watchdog, "sh", self, python, PDEATHSIG];
  const child = spawn(python, [PDEATHSIG, self, ...shell, command, ...args], {
    ...options,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-65_536);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const killGroup = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
  };
  process.once("exit", killGroup);
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  try {
    await Promise.race([waitForPort(port, options.startTimeoutMs ?? 30_000, child), spawnError]);
  } catch (error) {
    killGroup();
    throw new WshubError(
      ERROR_CODES.SANDBOX_FAILED,
      `${name} did not start: ${(error as Error).message}\n${output.slice(-2000)}`,
      {
        service: name,
      },
    );
  }
  return {
    name,
    port,
    child,
    output: () => output,
    stop: async () => {
      process.removeListener("exit", killGroup);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      killGroup();
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
