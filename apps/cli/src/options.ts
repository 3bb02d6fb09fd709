import { Option, type Command } from "commander";
import { EXIT } from "./exit-codes.js";
import { awsProfile, awsRegion } from "./parsers.js";

export const OUTPUT_FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What every command's options carry (set by withOutput and -v). */
export interface CommandOptions {
  output?: OutputFormat;
  verbose?: boolean;
}

/** A usage error: commander prints it with the help hint, and the CLI exits 2. */
export function usageError(command: Command, message: string): never {
  return command.error(`error: ${message}`, { exitCode: EXIT.USAGE, code: "wshub.usage" });
}

/** Options every command that reads the configuration takes. */
export function withConfigOptions(command: Command): Command {
  return command
    .option("-c, --config <file>", "configuration file (default: $WSHUB_CONFIG, else wshub.yaml)")
    .option("-v, --verbose", "debug logs on stderr, and the stack of an unexpected error")
    .option("--create-tables", "create missing DynamoDB tables first (development)");
}

/**
 * AWS CLI habits for commands that talk to AWS: `--profile` picks the credentials (as AWS_PROFILE does: the shared
 * config and credentials files, SSO, credential_process, role_arn/source_profile); `--region` replaces
 * `hub.homeRegion` for the hub's own clients (DynamoDB, SES, Secrets Manager, STS, S3). Inspector is still read in
 * `hub.regions`, and Organizations in us-east-1.
 */
export function withAwsOptions(command: Command): Command {
  return command
    .addOption(new Option("--profile <name>", "AWS named profile for the hub's credentials").argParser(awsProfile))
    .addOption(
      new Option("--region <region>", "the hub's home region (overrides hub.homeRegion)").argParser(awsRegion),
    );
}

/**
 * One output switch: `-o, --output FORMAT` (the first format is the default) and `--json`, a shorthand for
 * `--output json` (giving both is a usage error). Commands read `options.output` only.
 */
export function withOutput(command: Command, formats: readonly OutputFormat[]): Command {
  command
    .addOption(new Option("-o, --output <format>", "output format").choices(formats).default(formats[0] ?? "table"))
    .addOption(new Option("--json", "shorthand for --output json").conflicts("output"));
  return command.hook("preAction", (self) => {
    if (self.getOptionValue("json") === true) self.setOptionValueWithSource("output", "json", "implied");
  });
}

/**
 * Mutually exclusive flags of which exactly one is required (`assign --plan | --apply`): add a flag to the list to
 * add a choice. Neither or several is a usage error naming them all.
 */
export function exactlyOneOf(command: Command, flags: readonly [flag: `--${string}`, description: string][]): Command {
  for (const [flag, description] of flags) command.option(flag, description);
  return requireExactlyOne(
    command,
    flags.map(([flag]) => flag),
  );
}

/** Exactly one of these options (flags or options with a value) must be given; otherwise a usage error. */
export function requireExactlyOne(command: Command, options: readonly `--${string}`[]): Command {
  return command.hook("preAction", (self) => {
    const given = options.filter((option) => {
      const value: unknown = self.getOptionValue(attributeName(option));
      return value !== undefined && value !== false;
    });
    if (given.length !== 1)
      usageError(
        self,
        `${self.name()} needs exactly one of ${options.join(", ")}${given.length > 1 ? ` (got ${given.join(" and ")})` : ""}`,
      );
  });
}

/** `--dry-run` → `dryRun`, as commander names option values. */
function attributeName(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
