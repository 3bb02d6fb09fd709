/** `--wait` alone waits up to an hour for a held lease; `--wait 300` that many seconds (parsers.ts: positiveInteger). */
export const DEFAULT_WAIT_SECONDS = 3600;

export function waitMsOf(wait: number | boolean | undefined): number | undefined {
  if (wait === undefined || wait === false) return undefined;
  return (wait === true ? DEFAULT_WAIT_SECONDS : wait) * 1000;
}
