import { InvalidArgumentError } from "commander";

/** `--wait` alone waits up to an hour for a held lease; `--wait 300` that many seconds. */
export const DEFAULT_WAIT_SECONDS = 3600;

export function parseWaitSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seconds) || seconds < 1)
    throw new InvalidArgumentError(`--wait takes a positive number of seconds, not "${value}"`);
  return seconds;
}

export function waitMsOf(wait: number | boolean | undefined): number | undefined {
  if (wait === undefined || wait === false) return undefined;
  return (wait === true ? DEFAULT_WAIT_SECONDS : wait) * 1000;
}
