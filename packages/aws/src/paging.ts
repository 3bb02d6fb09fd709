/** Whatever counts the requests its paginators make (the sandbox counts them too; this is the client's own tally). */
export interface RequestTally {
  calls: number;
}

/**
 * Iterates an SDK v3 paginator, counting each page request (the paginator's end is not one) and turning its failure
 * into the caller's typed error.
 */
export async function* countedPages<P>(
  pages: AsyncIterable<P>,
  tally: RequestTally,
  toError: (error: unknown) => Error,
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
