import type { SessionEnded } from "../domain/session-ended";

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * How the transport tells a connection's watchers that its session ended and closes it, all at
 * once: called once, with every `sessionRevoked` subscription still open on it (what the
 * transport knows each by: `Watcher`), possibly none.
 */
export interface ConnectionEnd<Watcher> {
  end(event: SessionEnded, watchers: Watcher[]): void;
}

/**
 * One WebSocket connection and the session it authenticated with. When the session ends, the
 * transport is handed the event and every `sessionRevoked` subscription on it, and writes each
 * its event and the close itself, in one go: a logout of a thousand devices is then one write
 * per socket and one rendering of the event per distinct query, not a round of the GraphQL
 * machinery per subscriber. The subscriptions' own streams then just end, yielding nothing.
 */
export class LiveConnection<Watcher = unknown> {
  private event: SessionEnded | null = null;
  /** Each open subscription's stream, with what the transport knows it by. */
  private readonly watchers = new Map<EndingStream, Watcher>();

  constructor(
    readonly sessionId: string,
    private readonly transport: ConnectionEnd<Watcher>,
  ) {}

  /** How many sessionRevoked subscriptions are waiting on this connection. */
  get watching(): number {
    return this.watchers.size;
  }

  get revoked(): boolean {
    return this.event !== null;
  }

  revoke(event: SessionEnded): void {
    if (this.event) return;
    this.event = event;
    const streams = [...this.watchers.keys()];
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    this.transport.end(event, watchers);
    for (const stream of streams) void stream.return();
  }

  /** A subscription's stream: it yields nothing (the transport writes the event) and ends when the session does or the client completes it. */
  watch(watcher: Watcher): AsyncIterableIterator<SessionEnded> {
    const stream = new EndingStream(this.watchers);
    if (this.event) void stream.return();
    else this.watchers.set(stream, watcher);
    return stream;
  }
}

/**
 * One subscription's stream, a class rather than closures (ten thousand idle sockets hold one
 * each) and not an async generator: a generator parked on an await cannot be returned, so a
 * client completing its subscription would leak it until the session ended.
 */
class EndingStream implements AsyncIterableIterator<SessionEnded> {
  private finished = false;
  private pending: ((result: IteratorReturnResult<undefined>) => void) | null = null;

  /** `open`: the connection's open streams, which this one leaves when it ends. */
  constructor(private readonly open: Map<EndingStream, unknown>) {}

  next(): Promise<IteratorResult<SessionEnded>> {
    return this.finished ? Promise.resolve(DONE) : new Promise((resolve) => (this.pending = resolve));
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    if (!this.finished) {
      this.finished = true;
      this.open.delete(this);
      this.pending?.(DONE);
      this.pending = null;
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SessionEnded> {
    return this;
  }
}
