import type { Command } from "commander";
import { EXIT, EXIT_MEANINGS, type ExitCode } from "./exit-codes.js";

export interface CommandHelp {
  examples: string[];
  /** The exit codes the command can end with, besides 0, 1 and 2 (which every command has). */
  exits: ExitCode[];
}

/** `--help` ends with examples and the exit codes of the command (docs/cli.md has the whole table). */
export function withHelp(command: Command, help: CommandHelp): Command {
  const codes = [...new Set<ExitCode>([EXIT.OK, EXIT.INTERNAL, EXIT.USAGE, ...help.exits])].sort((a, b) => a - b);
  const text = [
    "",
    "Examples:",
    ...help.examples.map((example) => `  $ ${example}`),
    "",
    "Exit codes:",
    ...codes.map((code) => `  ${String(code).padStart(2)}  ${EXIT_MEANINGS[code]}`),
  ].join("\n");
  return command.addHelpText("after", text);
}
