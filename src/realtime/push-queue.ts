const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * An unbounded stream one side pushes into and a subscription pulls from. Written by hand, not
 * as an async generator: a generator parked on an await cannot be returned, so a client
 * completing its subscription would leak it. `onEnd` runs once, however the stream ends.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = [];
  private pending: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.pending) {
      const resolve = this.pending;
      this.pending = null;
      resolve({ value, done: false });
    } else this.buffered.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffered.length > 0) return Promise.resolve({ value: this.buffered.shift()!, done: false });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.pending = resolve));
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    if (!this.ended) {
      this.ended = true;
      this.buffered.length = 0;
      this.pending?.(DONE);
      this.pending = null;
      this.onEnd();
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
