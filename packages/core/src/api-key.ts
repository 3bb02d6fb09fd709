/**
 * What a Workload Security API key may look like: printable ASCII without whitespace (it travels in an HTTP header),
 * of a sane length (Cloud One keys are about 70 characters, Vision One tokens a few hundred to a few thousand).
 */
export const API_KEY_LENGTH = { min: 8, max: 8192 } as const;

/** Why `key` cannot be an API key (never quoting it), or undefined when its shape is fine. */
export function apiKeyShapeProblem(key: string): string | undefined {
  if (/\p{Cc}/u.test(key)) return "it contains a control character (a line break, tab or similar)";
  if (/\s/.test(key)) return "it contains whitespace";
  if (/[^\x21-\x7e]/.test(key)) return "it contains a character that is not printable ASCII";
  if (key.length < API_KEY_LENGTH.min) return `it is shorter than ${API_KEY_LENGTH.min} characters`;
  if (key.length > API_KEY_LENGTH.max) return `it is longer than ${API_KEY_LENGTH.max} characters`;
  return undefined;
}

const REDACTED = "[redacted]";
/** Pieces of a secret shorter than this are left alone: they would match ordinary text. */
const MIN_FRAGMENT = 4;

/**
 * `text` with every occurrence of `secret` replaced, and of each of its pieces between whitespace or control
 * characters (an error may quote a header value split at its line break).
 */
export function redactSecret(text: string, secret: string): string {
  if (secret === "") return text;
  const fragments = secret.split(/[\s\p{Cc}]+/u).filter((f) => f.length >= MIN_FRAGMENT);
  let result = text.split(secret).join(REDACTED);
  for (const fragment of fragments.sort((a, b) => b.length - a.length)) result = result.split(fragment).join(REDACTED);
  return result;
}
