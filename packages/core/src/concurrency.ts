/** Map with at most `limit` calls in flight, keeping input order. Errors propagate (callers isolate per item). */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Tasks started as they come, at most `limit` in flight: `push` waits for a free slot (backpressure on the producer),
 * `drain` for every task. Tasks handle their own errors; the first one that rejects fails the next `push` or `drain`.
 */
export function boundedTasks(limit: number): {
  push(task: () => Promise<void>): Promise<void>;
  drain(): Promise<void>;
} {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const settled = () => {
    if (failure) throw failure.error;
  };
  return {
    async push(task) {
      while (running.size >= limit) await Promise.race(running);
      settled();
      const started: Promise<void> = task()
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => running.delete(started));
      running.add(started);
    },
    async drain() {
      await Promise.all(running);
      settled();
    },
  };
}

/**
 * Map in input order with at most `limit` calls in flight and their weights together within `budget` (an item heavier
 * than the budget runs alone). A rejection starts nothing more; the calls in flight finish, then it is thrown.
 */
export async function mapWithinBudget<T, R>(
  items: readonly T[],
  bounds: { limit: number; budget: number; weight: (item: T) => number },
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const running = new Set<Promise<void>>();
  let load = 0;
  let failure: { error: unknown } | undefined;
  for (const [index, item] of items.entries()) {
    const weight = Math.min(bounds.weight(item), bounds.budget);
    while (running.size >= bounds.limit || (running.size > 0 && load + weight > bounds.budget))
      await Promise.race(running);
    if (failure) break;
    load += weight;
    const call: Promise<void> = fn(item, index)
      .then(
        (result) => void (results[index] = result),
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => {
        load -= weight;
        running.delete(call);
      });
    running.add(call);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
  return results;
}
