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
