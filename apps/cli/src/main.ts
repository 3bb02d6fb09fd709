import { Command, Option } from "commander";
import { SIZE_PRESETS } from "@wshub/sandbox";
import { auditCommand } from "./commands/audit.js";
import { assignCommand } from "./commands/assign.js";
import { demoCommand } from "./commands/demo.js";
import { reportCommand } from "./commands/report.js";
import { rollbackCommand } from "./commands/rollback.js";
import { runCommand } from "./commands/run.js";
import { runsCommand } from "./commands/runs.js";
import { generateCommand } from "./commands/generate.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { EXIT } from "./exit-codes.js";
import { failureMode, reportFailure, type FailureMode } from "./failure.js";
import { withHelp } from "./help.js";
import {
  exactlyOneOf,
  requireExactlyOne,
  usageError,
  type CommandOptions,
  withAwsOptions,
  withConfigOptions,
  withOutput,
} from "./options.js";
import { accountId, isoInstant, positiveInteger, seed } from "./parsers.js";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const program = new Command("wshub")
  .description("Amazon Inspector findings vs Trend Micro Workload Security IPS coverage, across an AWS Organization")
  .showHelpAfterError("(add --help for the options, examples and exit codes)")
  .exitOverride();

/** A command that reads the configuration and talks to AWS. */
const hubCommand = (name: string, description: string) =>
  withAwsOptions(withConfigOptions(program.command(name).description(description)));

let action: Promise<number> | undefined;
let mode: FailureMode | undefined;
// Commander hands each action its parsed (and already validated) options.
const run =
  <T extends CommandOptions>(fn: (options: T) => Promise<number>) =>
  (options: T) => {
    mode = failureMode(options);
    action = fn(options);
  };

withHelp(
  withOutput(hubCommand("run", "collect, evaluate, (assign,) report and e-mail, for the whole organization"), [
    "table",
    "json",
  ]),
  {
    examples: ["wshub run --config wshub.yaml", "wshub run --profile security-hub --region eu-west-1 -o json"],
    exits: [
      EXIT.CONFIG,
      EXIT.RUN_FAILED,
      EXIT.PARTIAL,
      EXIT.GUARD_RAIL,
      EXIT.TENANT,
      EXIT.AWS,
      EXIT.BUSY,
      EXIT.SIGINT,
      EXIT.SIGTERM,
    ],
  },
)
  .option("--fail-on-partial", `exit ${EXIT.PARTIAL} when some account or tenant failed`)
  .option("--wait [seconds]", "wait for another run's lease instead of refusing (default 3600 s)", positiveInteger)
  .action(run(runCommand));

withHelp(withOutput(hubCommand("report", "rebuild a run's reports from the store"), ["table", "json"]), {
  examples: ["wshub report --run run-20260304T120000Z-a1b2", "wshub report --run run-20260304T120000Z-a1b2 --no-email"],
  exits: [EXIT.CONFIG, EXIT.NOT_FOUND, EXIT.AWS, EXIT.UNFINISHED],
})
  .requiredOption("--run <id>", "run id")
  .option("--no-email", "write the reports without sending them")
  .action(run(reportCommand));

withHelp(
  exactlyOneOf(
    withOutput(hubCommand("assign", "plan or apply the missing IPS rules on a run's coverage"), ["table", "json"]),
    [
      ["--plan", "record what would change, change nothing"],
      ["--apply", "change the assignments"],
      ["--reconcile", "settle the changes an interrupted writer left without outcome, from the targets' live state"],
    ],
  ),
  {
    examples: ["wshub assign --plan", "wshub assign --apply --run run-20260304T120000Z-a1b2"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.GUARD_RAIL, EXIT.NOT_FOUND, EXIT.TENANT, EXIT.AWS, EXIT.BUSY],
  },
)
  .option("--run <id>", "run whose coverage to use (default: the latest finished run)")
  .option("--wait [seconds]", "wait for the tenants' leases instead of refusing (default 3600 s)", positiveInteger)
  .action(run(assignCommand));

withHelp(withOutput(hubCommand("rollback", "remove the IPS rules a run assigned"), ["table", "json"]), {
  examples: ["wshub rollback --run run-20260304T120000Z-a1b2"],
  exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.NOT_FOUND, EXIT.TENANT, EXIT.AWS],
})
  .requiredOption("--run <id>", "run id")
  .action(run(rollbackCommand));

const audit = withHelp(withOutput(hubCommand("audit", "query the assignment audit trail"), ["table", "csv", "json"]), {
  examples: [
    "wshub audit --run run-20260304T120000Z-a1b2",
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
  .addOption(new Option("--since <iso>", "from this instant (inclusive; a date: its start)").argParser(isoInstant()))
  .addOption(
    new Option("--until <iso>", "up to this instant (inclusive; a date: its end)").argParser(isoInstant("end")),
  )
  .addOption(new Option("--limit <n>", "at most this many events (a whole number from 1)").argParser(positiveInteger))
  .addOption(
    new Option("--format <format>").choices(["table", "csv", "json"]).conflicts(["output", "json"]).hideHelp(),
  );
requireExactlyOne(audit, ["--run", "--account", "--tenant", "--instance", "--cve", "--rule"])
  .hook("preAction", (self) => {
    const { since, until, format } = self.opts<{ since?: string; until?: string; format?: string }>();
    if (since !== undefined && until !== undefined && since > until)
      usageError(self, `--since ${since} is after --until ${until}`);
    if (format === undefined) return;
    process.stderr.write("wshub: --format is deprecated; use -o/--output\n");
    self.setOptionValueWithSource("output", format, "implied");
  })
  .action(run(auditCommand));

withHelp(withOutput(hubCommand("runs", "list recent runs"), ["table", "csv", "json"]), {
  examples: ["wshub runs", "wshub runs --limit 50 -o csv"],
  exits: [EXIT.CONFIG, EXIT.AWS],
})
  .addOption(new Option("--limit <n>", "how many (a whole number from 1)").argParser(positiveInteger).default(10))
  .action(run(runsCommand));

withHelp(
  withOutput(
    program
      .command("demo")
      .description("start the sandbox with the built-in scenario, run wshub against it, show the result"),
    ["table", "json"],
  ),
  {
    examples: ["wshub demo", "wshub demo --out /tmp/demo -o json"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.SANDBOX],
  },
)
  .option("--out <dir>", "output folder", "out/demo")
  .option("--scenario <file>", "another scenario file")
  .option("-v, --verbose", "debug logs on stderr, and the stack of an unexpected error")
  .action(run(demoCommand));

const sizes = Object.keys(SIZE_PRESETS);
withHelp(
  withOutput(
    program
      .command("sandbox")
      .description("start the local sandbox and print its endpoints and credentials as JSON; Ctrl-C stops it"),
    ["json"],
  ),
  {
    examples: ["wshub sandbox", "wshub sandbox --generate S --seed 42 --faults faults.json"],
    exits: [EXIT.CONFIG, EXIT.SANDBOX],
  },
)
  .option("--scenario <file>", "scenario file (default: built-in example-small)")
  .addOption(new Option("--generate <size>", "generate a scenario instead").choices(sizes).conflicts("scenario"))
  .addOption(new Option("--seed <n>", "generator seed (0 to 4294967295)").argParser(seed).default(1))
  .option("--faults <file>", "fault knobs (JSON, see docs/sandbox.md)")
  .option("-v, --verbose", "the stack of an unexpected error")
  .action(run(sandboxCommand));

withHelp(
  withOutput(
    program.command("generate").description("write a generated scenario (and the hub mapping that fits it) to files"),
    ["json"],
  ),
  { examples: ["wshub generate --size M --seed 42 --out m.json"], exits: [EXIT.CONFIG] },
)
  .addOption(new Option("--size <size>", "scenario size").choices(sizes).makeOptionMandatory())
  .addOption(new Option("--seed <n>", "generator seed (0 to 4294967295)").argParser(seed).default(1))
  .requiredOption("--out <file>", "scenario JSON file (the mapping goes next to it as <file>.mapping.json)")
  .option("-v, --verbose", "the stack of an unexpected error")
  .action(run(generateCommand));

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    if (code !== undefined)
      return (error as { code?: string }).code === "commander.helpDisplayed" || code === 0 ? EXIT.OK : EXIT.USAGE;
    return reportFailure(error, mode ?? failureMode({}));
  }
  if (!action) return EXIT.OK;
  try {
    return await action;
  } catch (error) {
    return reportFailure(error, mode ?? failureMode({}));
  }
}

process.exitCode = await main();
