import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launcherChain } from "../src/launcher-chain.js";

const MODULE = fileURLToPath(new URL("../src/launcher-chain.ts", import.meta.url));

describe("launcher chain", () => {
  it("is this process's ancestors in its process group, nearest first, without PID 1", () => {
    const chain = launcherChain();
    expect(chain).not.toContain(1);
    expect(chain).not.toContain(process.pid);
    if (chain.length > 0) expect(chain[0]).toBe(process.ppid);
  });

  it("reports the launcher that ended when the top of a chain (sh → sh → node) is killed", async () => {
    // The watcher prints the chain it recorded (before the test kills anything), then the PID it saw end, and exits.
    const script =
      `const { launcherChain, onLauncherExit } = await import(${JSON.stringify(MODULE)});` +
      "const recorded = launcherChain();" +
      "onLauncherExit((ended) => { console.log(ended); process.exit(0); }, { recorded, pollMs: 50 });" +
      "console.log(JSON.stringify(recorded));" +
      "setTimeout(() => process.exit(3), 20_000);";
    // `; :` keeps each shell from exec-ing its last command, so the chain really is sh → sh → node.
    const inner = '$NODE --import tsx --input-type=module -e "$SCRIPT"; :';
    const top = spawn("sh", ["-c", `sh -c '${inner}'; :`], {
      env: { ...process.env, NODE: process.execPath, SCRIPT: script },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: string[] = [];
    const exited = new Promise<void>((resolve) => {
      let buffer = "";
      top.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        lines.splice(0, lines.length, ...buffer.trim().split("\n"));
        if (lines.length === 1) top.kill("SIGKILL");
      });
      top.stdout.on("close", () => resolve());
    });
    await exited;
    const chain = JSON.parse(lines[0] ?? "[]") as number[];
    expect(chain.slice(1, 2)).toEqual([top.pid]);
    expect(Number(lines[1])).toBe(top.pid);
  }, 30_000);
});
