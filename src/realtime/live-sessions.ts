import type { RevocationEvent } from "../sessions/revocation-event";
import type { SessionService } from "../sessions/session-service";
import type { LiveConnection } from "./live-connection";
import type { RevocationBus } from "./revocation-bus";

/**
 * The open WebSocket connections of this instance, by session. Revocations reach them from
 * the bus at once; a periodic sweep also ends expired sessions and re-checks every open
 * connection against the database, so a push lost in transit (Redis down) still lands.
 */
export class LiveSessions {
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly sessions: SessionService,
    bus: RevocationBus,
    private readonly sweepIntervalMs: number,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.unsubscribe = bus.subscribe((event) => this.deliver(event));
    bus.onResync(() => void this.sweep());
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.timer.unref();
  }

  add(connection: LiveConnection): void {
    const set = this.bySession.get(connection.sessionId) ?? new Set();
    set.add(connection);
    this.bySession.set(connection.sessionId, set);
  }

  remove(connection: LiveConnection): void {
    const set = this.bySession.get(connection.sessionId);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) this.bySession.delete(connection.sessionId);
  }

  /** How many sessionRevoked subscriptions on this instance are waiting for the session. */
  watchersOf(sessionId: string): number {
    let count = 0;
    for (const connection of this.bySession.get(sessionId) ?? []) count += connection.watching;
    return count;
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.bySession.values()) count += set.size;
    return count;
  }

  /**
   * A `sessionRevoked` stream for the connection. The database is checked after the watcher is
   * in place, so a session that ended between connecting and subscribing is reported, not missed.
   */
  async watch(connection: LiveConnection): Promise<AsyncIterableIterator<RevocationEvent>> {
    const stream = connection.watch();
    const [ended] = await this.sessions.findInactive([connection.sessionId]);
    if (ended) connection.revoke(ended);
    return stream;
  }

  /** Ends expired sessions (announcing them) and catches any open connection whose session ended unseen. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error) => this.log("session sweep failed", error))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    await this.sessions.endExpired();
    const missed = await this.sessions.findInactive([...this.bySession.keys()]);
    for (const event of missed) this.deliver(event);
  }

  private deliver(event: RevocationEvent): void {
    for (const connection of this.bySession.get(event.sessionId) ?? []) connection.revoke(event);
  }
}
