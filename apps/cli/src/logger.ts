import type { Logger } from "@wshub/core";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The CLI's logger writes to stderr (stdout carries results and --json output): JSON lines when not on a terminal,
 * short human lines on one. Fields named like secrets are redacted defensively, although none should ever get here.
 */
export function cliLogger(options: { level?: Level; human: boolean; stream?: NodeJS.WritableStream }): Logger {
  const threshold = ORDER[options.level ?? "info"];
  const stream = options.stream ?? process.stderr;
  const write =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < threshold) return;
      const safe = redact(fields);
      if (options.human) {
        const detail = Object.entries(safe)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ");
        stream.write(`${level === "info" ? "" : `${level}: `}${message}${detail ? ` (${detail})` : ""}\n`);
      } else {
        stream.write(
          `${JSON.stringify({ time: new Date().toISOString(), level: level.toUpperCase(), message, ...safe })}\n`,
        );
      }
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

const SECRET_FIELD = /key|secret|token|password|authorization/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_FIELD.test(k) ? "[redacted]" : v]));
}

/** The logger of the commands without a hub (sandbox, generate): warnings, and debug lines with --verbose. */
export function localLogger(verbose: boolean | undefined): Logger {
  return cliLogger({ human: process.stderr.isTTY === true, level: verbose ? "debug" : "warn" });
}
