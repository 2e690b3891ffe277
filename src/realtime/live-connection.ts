import type { SessionEnded } from "../domain/session-ended";

// If a subscriber never pulls the event (a stuck client), close anyway after this long.
const CLOSE_FALLBACK_MS = 2000;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One WebSocket connection and the session it authenticated with. When the session ends,
 * each `sessionRevoked` subscription on it receives the event once, and the socket is closed
 * (the transport chooses how: the WebSocket edge closes with 4403) after the last of them has been
 * sent, at once if there are none.
 */
export class LiveConnection {
  private event: SessionEnded | null = null;
  private readonly waiting = new Set<(event: SessionEnded) => void>();
  private watchers = 0;
  private closed = false;
  private fallback: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    /** Closes the socket because its session ended; called once. */
    private readonly closeForEnding: (event: SessionEnded) => void,
  ) {}

  /** How many sessionRevoked subscriptions are waiting on this connection. */
  get watching(): number {
    return this.watchers;
  }

  get revoked(): boolean {
    return this.event !== null;
  }

  revoke(event: SessionEnded): void {
    if (this.event) return;
    this.event = event;
    for (const wake of this.waiting) wake(event);
    this.waiting.clear();
    if (this.watchers === 0) this.close();
    else this.fallback = setTimeout(() => this.close(), CLOSE_FALLBACK_MS);
  }

  /**
   * An iterator that yields the revocation once. Written by hand rather than as an async
   * generator: a generator parked on an await cannot be returned, so a client completing
   * its subscription would leak it until the session ended.
   */
  watch(): AsyncIterableIterator<SessionEnded> {
    let state: "waiting" | "delivered" | "done" = "waiting";
    let pending: ((result: IteratorResult<SessionEnded>) => void) | null = null;
    this.watchers++;
    const finish = (): IteratorReturnResult<undefined> => {
      if (state !== "done") {
        state = "done";
        this.watchers--;
        pending?.(DONE);
        // Deferred one turn so graphql-ws sends the subscription's `complete` before the close frame.
        if (this.event && this.watchers === 0) setImmediate(() => this.close());
      }
      return DONE;
    };
    const iterator: AsyncIterableIterator<SessionEnded> = {
      next: () => {
        if (state === "done") return Promise.resolve(DONE);
        // Asked again after the event: graphql-ws asks only once the previous message was sent.
        if (state === "delivered") return Promise.resolve(finish());
        return new Promise((resolve) => {
          const deliver = (event: SessionEnded) => {
            if (state !== "waiting") return;
            state = "delivered";
            pending = null;
            resolve({ value: event, done: false });
          };
          pending = resolve;
          if (this.event) deliver(this.event);
          else this.waiting.add(deliver);
        });
      },
      return: () => Promise.resolve(finish()),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private close(): void {
    if (this.closed || !this.event) return;
    this.closed = true;
    clearTimeout(this.fallback);
    this.waiting.clear();
    this.closeForEnding(this.event);
  }
}
