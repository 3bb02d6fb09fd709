import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import type { CommandOptions } from "../src/options.js";
import { buildProgram } from "../src/program.js";

/** Parse a command line in-process: what would run with which options, or the usage error and its text. */
async function parse(
  args: string[],
): Promise<{ command?: string; options?: Record<string, unknown>; error?: string; exitCode?: number; out: string }> {
  let dispatched: { command: string; options: Record<string, unknown> } | undefined;
  let out = "";
  let err = "";
  const program = buildProgram(
    <T extends CommandOptions>(command: (options: T) => Promise<number>, options: T) => {
      dispatched = { command: command.name, options: Object.fromEntries(Object.entries(options)) };
    },
    { writeOut: (text) => void (out += text), writeErr: (text) => void (err += text) },
  );
  try {
    await program.parseAsync(["node", "wshub", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { error: err, exitCode: error.exitCode, out };
  }
  return { ...dispatched, out };
}

describe("the command line", () => {
  it.each([
    [["audit", "--run", "r", "--since", "2026-13-45"], "option '--since <iso>' argument '2026-13-45' is invalid"],
    [["audit", "--run", "r", "--until", "yesterday"], "option '--until <iso>' argument 'yesterday' is invalid"],
    [["audit", "--run", "r", "--limit", "-1"], "option '--limit <n>' argument '-1' is invalid"],
    [["runs", "--limit", "abc"], "option '--limit <n>' argument 'abc' is invalid"],
    [["generate", "--size", "S", "--seed", "abc", "--out", "x.json"], "option '--seed <n>' argument 'abc' is invalid"],
    [["generate", "--size", "XL", "--out", "x.json"], "Allowed choices are tiny, S, M, L"],
    [["sandbox", "--generate", "huge"], "Allowed choices are tiny, S, M, L"],
    [["assign"], "assign needs exactly one of --plan, --apply, --reconcile"],
    [
      ["assign", "--plan", "--apply"],
      "assign needs exactly one of --plan, --apply, --reconcile (got --plan and --apply)",
    ],
    [["run", "--wait", "0"], "option '--wait [seconds]' argument '0' is invalid"],
    [["audit"], "audit needs exactly one of --run, --account, --tenant, --instance, --cve, --rule"],
    [["audit", "--run", "r", "--cve", "CVE-1"], "(got --run and --cve)"],
    [["audit", "--account", "12345"], "expected a 12-digit AWS account id"],
    [
      ["audit", "--run", "r", "--since", "2026-03-02", "--until", "2026-03-01"],
      "--since 2026-03-02T00:00:00.000Z is after --until",
    ],
    [["runs", "--region", "europe"], "option '--region <region>' argument 'europe' is invalid"],
    [["runs", "-o", "xml"], "Allowed choices are table, csv, json"],
    [["run", "-o", "csv"], "Allowed choices are table, json"],
    [["runs", "--json", "-o", "table"], "option '--json' cannot be used with option '-o, --output <format>'"],
    [["audit", "--run", "r", "--format", "csv", "-o", "json"], "cannot be used with option"],
    [["run", "--no-such-option"], "unknown option '--no-such-option'"],
    [["waf", "--mode", "off"], "Allowed choices are recommend, apply"],
  ])("%j is a usage error (exit 2) naming the problem", async (args, message) => {
    const result = await parse(args);
    expect(result.exitCode).toBe(2);
    expect(result.command).toBeUndefined();
    expect(result.error).toContain(message);
    expect(result.error).toContain("(add --help for the options, examples and exit codes)");
  });

  it("hands the commands typed, normalised values", async () => {
    const audit = await parse([
      "audit",
      "--account",
      "333333333333",
      "--since",
      "2026-03-01T08:00+01:00",
      "--until",
      "2026-03-01",
      "--limit",
      "5",
    ]);
    expect(audit).toMatchObject({
      command: "auditCommand",
      options: {
        account: "333333333333",
        since: "2026-03-01T07:00:00.000Z",
        until: "2026-03-01T23:59:59.999Z",
        limit: 5,
        output: "table",
      },
    });
    expect((await parse(["runs"])).options).toMatchObject({ limit: 10, output: "table" });
    expect((await parse(["generate", "--size", "S", "--out", "x.json"])).options).toMatchObject({
      size: "S",
      seed: 1,
      output: "json",
    });
    expect((await parse(["sandbox", "--generate", "M", "--seed", "42"])).options).toMatchObject({
      generate: "M",
      seed: 42,
    });
    expect((await parse(["assign", "--apply"])).options).toMatchObject({ apply: true });
    expect((await parse(["assign", "--reconcile", "--wait"])).options).toMatchObject({ reconcile: true, wait: true });
    expect((await parse(["run", "--wait", "300"])).options).toMatchObject({ wait: 300 });
    expect(await parse(["waf", "--mode", "apply", "--json"])).toMatchObject({
      command: "wafCommand",
      options: { mode: "apply", output: "json" },
    });
    expect((await parse(["waf", "-o", "csv"])).options).toMatchObject({ output: "csv" });
    expect((await parse(["run", "--profile", "security-hub", "--region", "eu-west-1"])).options).toMatchObject({
      profile: "security-hub",
      region: "eu-west-1",
    });
  });

  it("has one output switch: -o/--output, --json as its shorthand, audit --format as a deprecated alias", async () => {
    expect((await parse(["runs", "--json"])).options).toMatchObject({ output: "json" });
    expect((await parse(["runs", "-o", "csv"])).options).toMatchObject({ output: "csv" });
    expect((await parse(["audit", "--run", "r", "--output", "json"])).options).toMatchObject({ output: "json" });
    expect((await parse(["audit", "--run", "r", "--format", "csv"])).options).toMatchObject({ output: "csv" });
    expect((await parse(["sandbox", "--json"])).options).toMatchObject({ output: "json" });
  });

  it.each(["run", "report", "assign", "rollback", "audit", "runs", "waf", "demo", "sandbox", "generate"])(
    "%s --help shows an example and the exit codes",
    async (name) => {
      const { out, exitCode } = await parse([name, "--help"]);
      expect(exitCode).toBe(0);
      expect(out).toMatch(new RegExp(`Examples:\\n  \\$ wshub ${name}`));
      expect(out).toMatch(/Exit codes:\n {3}0 {2}success\n {3}1 {2}unexpected error/);
      expect(out).toContain("  2  usage");
      expect(out).toContain("-o, --output <format>");
      const aws = !["demo", "sandbox", "generate"].includes(name);
      expect(out.includes("--profile <name>")).toBe(aws);
      expect(out.includes("--region <region>")).toBe(aws);
      expect(out).not.toContain("--format");
    },
  );
});
