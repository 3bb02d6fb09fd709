/**
 * `tsx test/bench/profile-summary.ts DIR [--top 20]`: where the CPU time of `--cpu-prof` profiles goes (one file a
 * thread: the hub's main thread and each report worker), self time by package or source folder and by function.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A frame's owner: an npm package, one of ours (packages/<name>, apps/<name>), node's own, or V8's pseudo-frames. */
export function ownerOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + "node_modules/".length).split("/");
    return scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith("node:")) return "node:internal";
  const ours = /\/(packages|apps)\/([^/]+)\//.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) => times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return times;
}

function top(totals: Map<string, number>, all: number, n: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `| ${key} | ${(us / 1e6).toFixed(1)} s | ${((100 * us) / all).toFixed(1)} % |`);
}

function summarize(file: string, n: number): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let all = 0;
  for (const [id, us] of selfTimes(profile)) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    all += us;
    const owner = ownerOf(frame.url, frame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const where = frame.url ? `${frame.url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}` : "";
    const name = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const head = ["| self time by | total | share |", "|---|---|---|"];
  return [
    `### ${file} (${(all / 1e6).toFixed(1)} s sampled)`,
    "",
    ...head,
    ...top(owners, all, n),
    "",
    ...head,
    ...top(functions, all, n),
  ].join("\n");
}

const [dir, ...rest] = process.argv.slice(2);
if (dir) {
  const n = Number(rest[rest.indexOf("--top") + 1] ?? 20) || 20;
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  process.stdout.write(`${files.map((f) => summarize(join(dir, f), n)).join("\n\n")}\n`);
}
