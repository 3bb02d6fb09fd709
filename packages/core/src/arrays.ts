/**
 * Appends every item to `target` without spreading: `push(...items)` passes each item as an argument and overflows
 * the call stack past roughly 100,000 items, which one large account's findings or coverage rows reach.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
