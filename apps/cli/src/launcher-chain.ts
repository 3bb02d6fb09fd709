import { readFileSync } from "node:fs";

/** How often the sandbox checks that the processes that launched it are still there. */
export const CHAIN_POLL_MS = 500;

interface ProcessStat {
  ppid: number;
  pgid: number;
}

/** `/proc/PID/stat`'s parent and process group (the fields after the command, which may hold spaces and ')'). */
function statOf(pid: number): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined;
  }
}

/**
 * The processes that launched this one, nearest first: the ancestors in its own process group, up to the group's
 * leader (`./dev`, `pnpm`, the `sh -c` of a package script, tsx's parent process). A shell gives each job its own
 * group, so the user's shell is not part of the chain (`nohup ./dev wshub sandbox &` outlives it); PID 1 never is.
 * Without /proc (not Linux), the parent alone.
 */
export function launcherChain(pid: number = process.pid): number[] {
  const own = statOf(pid);
  if (own === undefined) return process.ppid > 1 ? [process.ppid] : [];
  const chain: number[] = [];
  for (let parent = own.ppid; parent > 1;) {
    const stat = statOf(parent);
    if (stat === undefined || stat.pgid !== own.pgid) break;
    chain.push(parent);
    if (parent === own.pgid) break;
    parent = stat.ppid;
  }
  return chain;
}

export interface WatchOptions {
  /** The chain to hold to, recorded as early as possible (default: now); a launcher that ends before it is read
   * again is caught at the first poll. */
  recorded?: number[];
  pollMs?: number;
}

/**
 * Call `onBreak` once when any process of the launcher chain ends: a launcher that dies (SIGTERM to pnpm, SIGKILL of
 * `./dev`) leaves its child re-parented, so the chain read again differs from the recorded one. A zombie ancestor
 * counts as ended, since its children are re-parented at once. Returns a function that stops watching.
 */
export function onLauncherExit(onBreak: (ended: number) => void, options: WatchOptions = {}): () => void {
  const recorded = options.recorded ?? launcherChain();
  if (recorded.length === 0) return () => undefined;
  const timer = setInterval(() => {
    const now = launcherChain();
    const ended = recorded.find((pid, i) => now[i] !== pid);
    if (ended === undefined) return;
    clearInterval(timer);
    onBreak(ended);
  }, options.pollMs ?? CHAIN_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
