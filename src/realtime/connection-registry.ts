import type { Logger } from "../logging/logger";
import type { SessionEnded } from "../sessions/session-ended";
import type { SessionEventBus } from "../sessions/session-event-bus";
import type { SessionService } from "../sessions/session-service";
import type { LiveConnection } from "./live-connection";

/**
 * This instance's open WebSocket connections, by the session each authenticated with. Endings
 * reach them from the bus at once; a periodic reconcile re-checks every open connection against
 * the database, so a push lost in transit (Redis down) still lands.
 */
export class ConnectionRegistry {
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | null = null;

  constructor(
    private readonly sessions: SessionService,
    bus: SessionEventBus,
    private readonly reconcileIntervalMs: number,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = bus.subscribe((event) => this.deliver(event));
    bus.onResync(() => void this.reconcile());
  }

  start(): void {
    this.timer = setInterval(() => void this.reconcile(), this.reconcileIntervalMs);
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

  /** How many sockets of this instance authenticated with the session. */
  connectionsOf(sessionId: string): number {
    return this.bySession.get(sessionId)?.size ?? 0;
  }

  /** sessionRevoked subscriptions open on this instance. */
  get watcherCount(): number {
    let count = 0;
    for (const set of this.bySession.values()) for (const connection of set) count += connection.watching;
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
  async watch(connection: LiveConnection): Promise<AsyncIterableIterator<SessionEnded>> {
    const stream = connection.watch();
    const [ended] = await this.sessions.findEnded([connection.sessionId]);
    if (ended) connection.revoke(ended);
    return stream;
  }

  /** Catches any open connection whose session ended without this instance hearing of it. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.sessions
      .findEnded([...this.bySession.keys()])
      .then((missed) => missed.forEach((event) => this.deliver(event)))
      .catch((error) => this.logger.error({ err: error }, "connection reconcile failed"))
      .finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.reconciling;
  }

  private deliver(event: SessionEnded): void {
    for (const connection of this.bySession.get(event.sessionId) ?? []) connection.revoke(event);
  }
}
