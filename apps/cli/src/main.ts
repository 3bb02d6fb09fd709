import { Command, Option } from "commander";
import { auditCommand } from "./commands/audit.js";
import { assignCommand } from "./commands/assign.js";
import { demoCommand } from "./commands/demo.js";
import { reportCommand } from "./commands/report.js";
import { rollbackCommand } from "./commands/rollback.js";
import { runCommand } from "./commands/run.js";
import { runsCommand } from "./commands/runs.js";
import { generateCommand } from "./commands/generate.js";
import { kpisCommand } from "./commands/kpis.js";
import { trendCommand } from "./commands/trend.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { EXIT } from "./exit-codes.js";
import { reportFailure } from "./failure.js";
import { parseWaitSeconds } from "./wait.js";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const program = new Command("wshub")
  .description("Amazon Inspector findings vs Trend Micro Workload Security IPS coverage, across an AWS Organization")
  .showHelpAfterError()
  .exitOverride();

const withGlobals = (command: Command) =>
  command
    .option("-c, --config <file>", "configuration file (default: $WSHUB_CONFIG, else wshub.yaml)")
    .option("--json", "machine-readable output on stdout")
    .option("-v, --verbose", "debug logs on stderr")
    .option("--create-tables", "create missing DynamoDB tables first (development)");

let action: Promise<number> | undefined;
// Commander hands each action its parsed options; the command functions validate what they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (fn: (options: any) => Promise<number>) => (options: unknown) => {
  action = fn(options);
};

withGlobals(
  program.command("run").description("collect, evaluate, (assign,) report and e-mail, for the whole organization"),
)
  .option("--fail-on-partial", `exit ${EXIT.PARTIAL} when some account or tenant failed`)
  .option("--wait [seconds]", "wait for another run's lease instead of refusing (default 3600 s)", parseWaitSeconds)
  .action(run(runCommand));
withGlobals(program.command("report").description("rebuild a run's reports from the store"))
  .requiredOption("--run <id>", "run id")
  .option("--no-email", "write the reports without sending them")
  .action(run(reportCommand));
withGlobals(program.command("assign").description("plan or apply the missing IPS rules on a run's coverage"))
  .option("--plan", "record what would change, change nothing")
  .option("--apply", "change the assignments")
  .option("--reconcile", "settle the changes an interrupted writer left without outcome, from the targets' live state")
  .option("--run <id>", "run whose coverage to use (default: the latest finished run)")
  .option("--wait [seconds]", "wait for the tenants' leases instead of refusing (default 3600 s)", parseWaitSeconds)
  .action(run(assignCommand));
withGlobals(program.command("rollback").description("remove the IPS rules a run assigned"))
  .requiredOption("--run <id>", "run id")
  .action(run(rollbackCommand));
withGlobals(program.command("audit").description("query the assignment audit trail"))
  .option("--run <id>", "by run", undefined)
  .option("--account <id>", "by account")
  .option("--tenant <name>", "by tenant")
  .option("--instance <id>", "by EC2 instance")
  .option("--cve <id>", "by CVE")
  .option("--rule <identifier>", "by IPS rule identifier")
  .option("--since <iso>", "from this time (inclusive)")
  .option("--until <iso>", "up to this time (inclusive)")
  .option("--limit <n>", "at most this many events")
  .addOption(new Option("--format <format>", "output format").choices(["table", "csv", "json"]).default("table"))
  .action((options: Record<string, string | boolean>) => {
    action = auditCommand({
      ...options,
      ...(options["run"] ? { runId: options["run"] as string } : {}),
      ...(options["account"] ? { accountId: options["account"] as string } : {}),
      ...(options["instance"] ? { instanceId: options["instance"] as string } : {}),
    } as never);
  });
withGlobals(program.command("runs").description("list recent runs"))
  .option("--limit <n>", "how many", "10")
  .action(run(runsCommand));
withGlobals(program.command("kpis").description("shielding KPIs and time to shield, organization and accounts"))
  .option("--run <id>", "run (default: the latest finished run)")
  .option("--account <id>", "one account only")
  .action(run(kpisCommand));
withGlobals(program.command("trend").description("coverage per status over the last 12 runs"))
  .option("--run <id>", "the last run of the trend (default: the latest finished run)")
  .option("--account <id>", "one account's trend (default: the organization's)")
  .option("--csv", "the trend as CSV on stdout")
  .action(run(trendCommand));
program
  .command("demo")
  .description("start the sandbox with the built-in scenario, run wshub against it, show the result")
  .option("--out <dir>", "output folder", "out/demo")
  .option("--scenario <file>", "another scenario file")
  .option("--json", "machine-readable output")
  .action(run(demoCommand));
program
  .command("sandbox")
  .description("start the local sandbox and print its endpoints and credentials as JSON; Ctrl-C stops it")
  .option("--scenario <file>", "scenario file (default: built-in example-small)")
  .option("--generate <size>", "generate a scenario instead: tiny, S, M or L")
  .option("--seed <n>", "generator seed", "1")
  .option("--faults <file>", "fault knobs (JSON, see docs/sandbox.md)")
  .action(run(sandboxCommand));
program
  .command("generate")
  .description("write a generated scenario (and the hub mapping that fits it) to files")
  .requiredOption("--size <size>", "tiny, S, M or L")
  .option("--seed <n>", "generator seed", "1")
  .requiredOption("--out <file>", "scenario JSON file (the mapping goes next to it as <file>.mapping.json)")
  .action(run(generateCommand));

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    if (code !== undefined)
      return (error as { code?: string }).code === "commander.helpDisplayed" || code === 0 ? EXIT.OK : EXIT.USAGE;
    return reportFailure(error, process.argv.includes("--json"));
  }
  if (!action) return EXIT.OK;
  try {
    return await action;
  } catch (error) {
    return reportFailure(error, process.argv.includes("--json"));
  }
}

process.exitCode = await main();
