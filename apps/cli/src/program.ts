import { Command, CommanderError, Option, type OutputConfiguration } from "commander";
import type { ScenarioSize } from "@wshub/sandbox";
import { auditCommand } from "./commands/audit.js";
import { reactCommands } from "./commands/react-spec.js";
import { wafCommands } from "./commands/waf-spec.js";
import { assignCommand } from "./commands/assign.js";
import { demoCommand } from "./commands/demo.js";
import { reportCommand } from "./commands/report.js";
import { rollbackCommand } from "./commands/rollback.js";
import { runCommand } from "./commands/run.js";
import { runsCommand } from "./commands/runs.js";
import { kpisCommand } from "./commands/kpis.js";
import { trendCommand } from "./commands/trend.js";
import { complianceCommand } from "./commands/compliance.js";
import { generateCommand } from "./commands/generate.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { EXIT } from "./exit-codes.js";
import { withHelp, type CommandHelp } from "./help.js";
import {
  exactlyOneOf,
  requireExactlyOne,
  usageError,
  withAwsOptions,
  withConfigOptions,
  withOutput,
  type CommandOptions,
  type OutputFormat,
} from "./options.js";
import { accountId, isoInstant, positiveInteger, seed } from "./parsers.js";

/** What the program does with a command and its parsed (already validated) options: main.ts runs it. */
export type Dispatch = <T extends CommandOptions>(command: (options: T) => Promise<number>, options: T) => void;

export interface CommandSpec extends CommandHelp {
  name: string;
  description: string;
  /** Reads the configuration and talks to AWS: --config, --profile, --region ... */
  hub: boolean;
  /** The first is the default. */
  output: OutputFormat[];
}

export interface Builder {
  define(spec: CommandSpec): Command;
  run<T extends CommandOptions>(command: (options: T) => Promise<number>): (options: T) => void;
}

/** The generator's sizes, checked against the sandbox's type without loading the sandbox. */
const SIZES: Record<ScenarioSize, true> = { tiny: true, S: true, M: true, L: true };
const RUN_ID = "run-20260304T120000Z-a1b2";
/** `wshub run` records the run as interrupted on these. */
const SIGNALS = [EXIT.SIGINT, EXIT.SIGTERM];

/**
 * Every command and option of `wshub`. Commander validates the options (parsers.ts) before `dispatch` is called;
 * a usage error throws a CommanderError with exit code 2 after writing its message to `output` (default: stderr).
 */
export function buildProgram(dispatch: Dispatch, output?: OutputConfiguration): Command {
  const program = new Command("wshub")
    .description("Amazon Inspector findings vs Trend Micro Workload Security IPS coverage, across an AWS Organization")
    .showHelpAfterError("(add --help for the options, examples and exit codes)")
    // Every usage error (commander's own: unknown option, bad value, missing option) exits 2; help exits 0.
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(EXIT.USAGE, error.code, error.message);
    });
  if (output) program.configureOutput(output);
  const builder: Builder = {
    define: (spec) => {
      const command = program.command(spec.name).description(spec.description);
      if (spec.hub) withAwsOptions(withConfigOptions(command));
      else command.option("-v, --verbose", "debug logs on stderr, and the stack of an unexpected error");
      return withHelp(withOutput(command, spec.output), spec);
    },
    run: (command) => (options) => dispatch(command, options),
  };
  runCommands(builder);
  reactCommands(builder);
  wafCommands(builder);
  auditCommands(builder);
  sandboxCommands(builder);
  return program;
}

function runCommands({ define, run }: Builder): void {
  define({
    name: "run",
    description: "collect, evaluate, (assign,) report and e-mail, for the whole organization",
    hub: true,
    output: ["table", "json"],
    examples: ["wshub run --config wshub.yaml", "wshub run --profile security-hub --region eu-west-1 -o json"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.PARTIAL, EXIT.GUARD_RAIL, EXIT.TENANT, EXIT.AWS, EXIT.BUSY, ...SIGNALS],
  })
    .option("--fail-on-partial", `exit ${EXIT.PARTIAL} when some account or tenant failed`)
    .option("--wait [seconds]", "wait for another run's lease instead of refusing (default 3600 s)", positiveInteger)
    .action(run(runCommand));
  define({
    name: "report",
    description: "rebuild a run's reports from the store",
    hub: true,
    output: ["table", "json"],
    examples: [`wshub report --run ${RUN_ID}`, `wshub report --run ${RUN_ID} --no-email`],
    exits: [EXIT.CONFIG, EXIT.NOT_FOUND, EXIT.UNFINISHED, EXIT.AWS],
  })
    .requiredOption("--run <id>", "run id")
    .option("--no-email", "write the reports without sending them")
    .action(run(reportCommand));
  const assign = define({
    name: "assign",
    description: "plan or apply the missing IPS rules on a run's coverage",
    hub: true,
    output: ["table", "json"],
    examples: ["wshub assign --plan", `wshub assign --apply --run ${RUN_ID}`, "wshub assign --reconcile --wait 300"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.GUARD_RAIL, EXIT.NOT_FOUND, EXIT.TENANT, EXIT.AWS, EXIT.BUSY],
  });
  exactlyOneOf(assign, [
    ["--plan", "record what would change, change nothing"],
    ["--apply", "change the assignments"],
    ["--reconcile", "settle the changes an interrupted writer left without outcome, from the targets' live state"],
  ])
    .option("--run <id>", "run whose coverage to use (default: the latest finished run)")
    .option("--wait [seconds]", "wait for the tenants' leases instead of refusing (default 3600 s)", positiveInteger)
    .action(run(assignCommand));
  define({
    name: "rollback",
    description: "remove the IPS rules a run assigned",
    hub: true,
    output: ["table", "json"],
    examples: [`wshub rollback --run ${RUN_ID}`],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.NOT_FOUND, EXIT.TENANT, EXIT.AWS],
  })
    .requiredOption("--run <id>", "run id")
    .action(run(rollbackCommand));
}

function auditCommands({ define, run }: Builder): void {
  const audit = define({
    name: "audit",
    description: "query the assignment audit trail",
    hub: true,
    output: ["table", "csv", "json"],
    examples: [
      `wshub audit --run ${RUN_ID}`,
      "wshub audit --account 333333333333 --since 2026-03-01 --until 2026-03-31 -o csv > march.csv",
      "wshub audit --cve CVE-2024-1002 --since 2026-03-04T12:00:00+01:00 --limit 50 --json",
    ],
    exits: [EXIT.CONFIG, EXIT.AWS],
  })
    .option("--run <id>", "by run (give exactly one of --run, --account, --tenant, --instance, --cve, --rule)")
    .addOption(new Option("--account <id>", "by account (12 digits)").argParser(accountId))
    .option("--tenant <name>", "by tenant")
    .option("--instance <id>", "by EC2 instance")
    .option("--cve <id>", "by CVE")
    .option("--rule <identifier>", "by IPS rule identifier")
    .option("--finding <id>", "by the security finding that caused it (GuardDuty/Macie id, Inspector finding ARN)")
    .addOption(new Option("--since <iso>", "from this instant (inclusive; a date: its start)").argParser(isoInstant()))
    .addOption(
      new Option("--until <iso>", "up to this instant (inclusive; a date: its end)").argParser(isoInstant("end")),
    )
    .addOption(new Option("--limit <n>", "at most this many events (a whole number from 1)").argParser(positiveInteger))
    .addOption(
      new Option("--format <format>").choices(["table", "csv", "json"]).conflicts(["output", "json"]).hideHelp(),
    );
  requireExactlyOne(audit, ["--run", "--account", "--tenant", "--instance", "--cve", "--rule", "--finding"])
    .hook("preAction", (self) => {
      const { since, until, format } = self.opts<{ since?: string; until?: string; format?: string }>();
      if (since !== undefined && until !== undefined && since > until)
        usageError(self, `--since ${since} is after --until ${until}`);
      if (format === undefined) return;
      process.stderr.write("wshub: --format is deprecated; use -o/--output\n");
      self.setOptionValueWithSource("output", format, "implied");
    })
    .action(run(auditCommand));
  define({
    name: "runs",
    description: "list recent runs",
    hub: true,
    output: ["table", "csv", "json"],
    examples: ["wshub runs", "wshub runs --limit 50 -o csv"],
    exits: [EXIT.CONFIG, EXIT.AWS],
  })
    .addOption(new Option("--limit <n>", "how many (a whole number from 1)").argParser(positiveInteger).default(10))
    .action(run(runsCommand));
  define({
    name: "kpis",
    description: "shielding KPIs and time to shield, for the organization and each account",
    hub: true,
    output: ["table", "json"],
    examples: ["wshub kpis", `wshub kpis --run ${RUN_ID} --account 123456789012 -o json`],
    exits: [EXIT.CONFIG, EXIT.NOT_FOUND, EXIT.AWS],
  })
    .option("--run <id>", "run (default: the latest finished run)")
    .addOption(new Option("--account <id>", "one account only").argParser(accountId))
    .action(run(kpisCommand));
  define({
    name: "trend",
    description: "coverage per status over the last 12 runs, for the organization or one account",
    hub: true,
    output: ["table", "csv", "json"],
    examples: ["wshub trend", "wshub trend --account 123456789012 -o csv"],
    exits: [EXIT.CONFIG, EXIT.NOT_FOUND, EXIT.AWS],
  })
    .option("--run <id>", "the last run of the trend (default: the latest finished run)")
    .addOption(new Option("--account <id>", "one account's trend (default: the organization's)").argParser(accountId))
    .action(run(trendCommand));
  define({
    name: "compliance",
    description: "AWS Config rule results (Workload Security agent, policy, modules, warnings) for every instance, now",
    hub: true,
    output: ["table", "csv", "json"],
    examples: ["wshub compliance", `wshub compliance --rule '{"rule":"ws-policy","policies":["Base Policy"]}' -o csv`],
    exits: [EXIT.CONFIG, EXIT.TENANT, EXIT.AWS],
  })
    .option("--rule <json>", "a rule's parameters as JSON (repeatable; default: agent, IPS prevent, warnings)", collect)
    .action(run(complianceCommand));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function sandboxCommands({ define, run }: Builder): void {
  const sizes = Object.keys(SIZES);
  define({
    name: "demo",
    description: "start the sandbox with the built-in scenario, run wshub against it, show the result",
    hub: false,
    output: ["table", "json"],
    examples: ["wshub demo", "wshub demo --out /tmp/demo -o json"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.SANDBOX],
  })
    .option("--out <dir>", "output folder", "out/demo")
    .option("--scenario <file>", "another scenario file")
    .action(run(demoCommand));
  // sandbox and generate print JSON for other programs; -o json and --json are accepted for uniformity.
  define({
    name: "sandbox",
    description: "start the local sandbox and print its endpoints and credentials as JSON; Ctrl-C stops it",
    hub: false,
    output: ["json"],
    examples: [
      "wshub sandbox",
      "wshub sandbox --write-config wshub.yaml",
      "wshub sandbox --generate S --seed 42 --faults faults.json",
    ],
    exits: [EXIT.CONFIG, EXIT.SANDBOX],
  })
    .option("--scenario <file>", "scenario file (default: built-in example-small)")
    .addOption(new Option("--generate <size>", "generate a scenario instead").choices(sizes).conflicts("scenario"))
    .addOption(new Option("--seed <n>", "generator seed (0 to 4294967295)").argParser(seed).default(1))
    .option("--faults <file>", "fault knobs (JSON, see docs/sandbox.md)")
    .option("--write-config <file>", "write a configuration for this sandbox, and its credentials to <name>.env")
    .action(run(sandboxCommand));
  define({
    name: "generate",
    description: "write a generated scenario (and the hub mapping that fits it) to files",
    hub: false,
    output: ["json"],
    examples: ["wshub generate --size M --seed 42 --out m.json"],
    exits: [EXIT.CONFIG],
  })
    .addOption(new Option("--size <size>", "scenario size").choices(sizes).makeOptionMandatory())
    .addOption(new Option("--seed <n>", "generator seed (0 to 4294967295)").argParser(seed).default(1))
    .requiredOption("--out <file>", "scenario JSON file (the mapping goes next to it as <file>.mapping.json)")
    .action(run(generateCommand));
}
