/** Whatever counts the requests its paginators make (the sandbox counts them too; this is the client's own tally). */
export interface RequestTally {
  calls: number;
}

/**
 * Iterates an SDK v3 paginator, turning its failure into the caller's typed error and, when given a tally, counting
 * each page request (the paginator's end is not one).
 */
export async function* countedPages<P>(
  pages: AsyncIterable<P>,
  toError: (error: unknown) => Error,
  tally: RequestTally = { calls: 0 },
): AsyncGenerator<P> {
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<P>;
    tally.calls++;
    try {
      next = await iterator.next();
    } catch (error) {
      throw toError(error);
    }
    if (next.done) {
      tally.calls--;
      return;
    }
    yield next.value;
  }
}
