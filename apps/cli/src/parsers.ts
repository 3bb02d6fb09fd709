import { InvalidArgumentError } from "commander";
import { AWS_REGION_PATTERN } from "@wshub/core";

/**
 * Option value parsers: each turns the text a user typed into a typed value, or refuses it with commander's
 * InvalidArgumentError, which the CLI prints with the option's name and turns into exit 2 (usage).
 */

const ISO_8601 =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?)?(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * ISO 8601, strictly: a date (`2026-03-01`) or a date-time (`2026-03-01T08:30`, `…:15.250Z`, `…+01:00`), every field
 * in range (no 2026-13-45, no 25:00), normalised to UTC (`2026-03-01T07:30:00.000Z`). A date-time without an offset
 * is UTC. A bare date is the start of that day, or its last millisecond with `end` (an inclusive `--until`).
 */
export function isoInstant(end: "start" | "end" = "start"): (value: string) => string {
  return (value) => {
    const fields = ISO_8601.exec(value)?.groups;
    if (!fields)
      throw new InvalidArgumentError(
        "expected an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T08:30:00Z.",
      );
    const field = (name: string) => Number(fields[name] ?? 0);
    const [year, month, day] = [field("year"), field("month"), field("day")];
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
      throw new InvalidArgumentError(`${value} is not a calendar date (from 1970).`);
    if (field("hour") > 23 || field("minute") > 59 || field("second") > 59)
      throw new InvalidArgumentError(`${value} is not a valid time of day.`);
    if (fields["hour"] === undefined)
      return new Date(
        end === "end" ? Date.UTC(year, month - 1, day + 1) - 1 : Date.UTC(year, month - 1, day),
      ).toISOString();
    const millis = Number((fields["fraction"] ?? "").padEnd(3, "0").slice(0, 3));
    const local = Date.UTC(year, month - 1, day, field("hour"), field("minute"), field("second"), millis);
    return new Date(local - offsetMinutes(value, fields["zone"]) * 60_000).toISOString();
  };
}

function offsetMinutes(value: string, zone: string | undefined): number {
  if (zone === undefined || zone === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) throw new InvalidArgumentError(`${value} has an invalid UTC offset.`);
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}

/** A whole number from `min` up (digits only: no sign, no fraction, no exponent, no hex), at most `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `expected a whole number from ${min} up.`
          : `expected a whole number from ${min} to ${max}.`,
      );
    return number;
  };
}

export const positiveInteger = integer(1);
/** Seeds feed a 32-bit generator. */
export const seed = integer(0, 2 ** 32 - 1);

export function awsRegion(value: string): string {
  if (!AWS_REGION_PATTERN.test(value)) throw new InvalidArgumentError("expected an AWS region such as eu-west-1.");
  return value;
}

/** A named profile of the shared AWS config files (~/.aws/config, ~/.aws/credentials). */
export function awsProfile(value: string): string {
  if (!/^[\w+=,.@:/-]+$/.test(value))
    throw new InvalidArgumentError(
      "expected a profile name from ~/.aws/config (letters, digits, and + = , . @ : / - _).",
    );
  return value;
}

export function accountId(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError("expected a 12-digit AWS account id.");
  return value;
}
