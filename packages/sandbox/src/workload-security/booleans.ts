/**
 * The vendor's API reads a boolean parameter case-insensitively (`true`, `False`, `TRUE`): the vendor's own Python
 * SDK sends Python's `str(False)`, so `overrides=False` must work. JSON booleans pass as they are; anything else is
 * not a boolean (`undefined`), for the caller to reject with its own message.
 */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return undefined;
}
