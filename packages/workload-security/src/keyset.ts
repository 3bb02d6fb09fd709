import type { WorkloadSecurityHttp, RequestOptions } from "./http.js";

/** The vendor's search cap and default page size. */
export const MAX_ITEMS = 5000;

/**
 * Keyset paging on `ID`, the only paging the API has: `idTest greater-than` the last ID seen, sorted by object ID.
 * A page shorter than `maxItems` is the last one, so a collection of N objects costs ceil(N / 5000) calls, plus one
 * empty page only when N is a multiple of 5000.
 */
export async function* searchAllPages<T extends { ID?: number }>(
  http: WorkloadSecurityHttp,
  path: string,
  collection: string,
  query: RequestOptions["query"] = {},
  maxItems = MAX_ITEMS,
): AsyncGenerator<T[]> {
  let cursor = 0;
  for (;;) {
    const body = { maxItems, searchCriteria: [{ idValue: cursor, idTest: "greater-than" }], sortByObjectID: true };
    const page = await http.request<Record<string, T[] | undefined>>("POST", path, { query, body });
    const items = page?.[collection] ?? [];
    if (items.length > 0) yield items;
    if (items.length < maxItems) return;
    // The largest ID, not the last element: correct even if a server ignored sortByObjectID.
    const next = Math.max(...items.map((item) => item.ID ?? 0));
    if (next <= cursor) return;
    cursor = next;
  }
}

export async function searchAll<T extends { ID?: number }>(
  http: WorkloadSecurityHttp,
  path: string,
  collection: string,
  query: RequestOptions["query"] = {},
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of searchAllPages<T>(http, path, collection, query)) all.push(...page);
  return all;
}
