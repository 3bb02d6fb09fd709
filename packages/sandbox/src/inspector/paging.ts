import { createHash } from "node:crypto";
import { validation } from "./errors.js";

/**
 * Opaque next tokens bound to the query they continue (a token replayed with other filters is rejected, as AWS
 * rejects it). The filtered result of a query is kept for a while, so each page costs a slice, not a new scan.
 */
export class Pager<T> {
  private readonly cache = new Map<string, T[]>();

  constructor(private readonly capacity = 32) {}

  page(query: unknown, compute: () => T[], nextToken: unknown, maxResults: number): { items: T[]; nextToken?: string } {
    const key = createHash("sha1").update(JSON.stringify(query)).digest("hex");
    let offset = 0;
    if (nextToken !== undefined && nextToken !== null) {
      offset = decode(nextToken, key);
    }
    let all = this.cache.get(key);
    if (!all || offset === 0) {
      all = compute();
      this.cache.delete(key);
      this.cache.set(key, all);
      if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    }
    const items = all.slice(offset, offset + maxResults);
    const next = offset + maxResults;
    return next < all.length ? { items, nextToken: encode(key, next) } : { items };
  }
}

function encode(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset })).toString("base64url");
}

function decode(token: unknown, key: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as { k?: string; o?: number };
    if (parsed.k === key && typeof parsed.o === "number" && parsed.o > 0) return parsed.o;
  } catch {
    /* fall through */
  }
  throw validation("The nextToken is invalid or does not belong to this request.", "nextToken");
}

export function maxResultsOf(raw: unknown, max: number, fallback: number): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1 || raw > max)
    throw validation(
      `1 validation error detected: Value '${String(raw)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      "maxResults",
    );
  return raw;
}
