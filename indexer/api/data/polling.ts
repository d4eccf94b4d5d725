/**
 * The source of a subscription: an async iterator that polls the database for rows after its position. Written
 * by hand rather than as an async generator: a generator parked in a sleep cannot be returned from until the
 * sleep ends, while this one ends a waiting `next()` at once when the client goes away (`return()`).
 */

/** Yields each row `poll` returns, calling it again every `intervalMs` while it returns none. */
export function pollingIterator<T>(poll: () => Promise<T[]>, intervalMs: number): AsyncIterableIterator<T> {
  const buffered: T[] = [];
  let isClosed = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | undefined;

  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, intervalMs);
    });

  const close = async (): Promise<IteratorResult<T>> => {
    isClosed = true;
    clearTimeout(timer);
    wake?.();
    return { value: undefined, done: true };
  };

  return {
    async next(): Promise<IteratorResult<T>> {
      while (!isClosed) {
        if (buffered.length > 0) return { value: buffered.shift()!, done: false };
        buffered.push(...(await poll()));
        if (buffered.length === 0 && !isClosed) await sleep();
      }
      return { value: undefined, done: true };
    },
    return: close,
    async throw(error: unknown): Promise<IteratorResult<T>> {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
