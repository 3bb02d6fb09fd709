/** IAM's wildcard matching: `*` any run of characters, `?` one character; actions compare case-insensitively. */
export function iamGlob(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const source = p
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(v);
}

export function matchesAny(patterns: readonly string[], value: string, caseInsensitive = false): boolean {
  return patterns.some((pattern) => iamGlob(pattern, value, caseInsensitive));
}

/** A policy field that may be one string or a list. */
export function listOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : [...value];
}
