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
  criteria: readonly object[] = [],
): AsyncGenerator<T[]> {
  let cursor = 0;
  for (;;) {
    const keyset = { idValue: cursor, idTest: "greater-than" };
    const body = { maxItems, searchCriteria: [keyset, ...criteria], sortByObjectID: true };
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

/**
 * Every object of a collection, each mapped as its page arrives, so a page's wire objects (the vendor's full JSON)
 * go with it instead of piling up beside what is kept; `undefined` is left out.
 */
export async function searchAll<T extends { ID?: number }, U>(
  http: WorkloadSecurityHttp,
  search: { path: string; collection: string; query?: RequestOptions["query"]; criteria?: readonly object[] },
  map: (wire: T) => U | undefined,
): Promise<U[]> {
  const all: U[] = [];
  for await (const page of searchAllPages<T>(
    http,
    search.path,
    search.collection,
    search.query,
    MAX_ITEMS,
    search.criteria,
  ))
    for (const wire of page) {
      const item = map(wire);
      if (item !== undefined) all.push(item);
    }
  return all;
}
