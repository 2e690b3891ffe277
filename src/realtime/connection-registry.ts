import type { SessionEnded } from "../domain/session-ended";
import type { RevocationGate } from "../sessions/revocation/revocation-gate";
import type { SessionService } from "../sessions/session-service";
import type { LiveConnection } from "./live-connection";

/** What the registry needs of a connection, whatever its transport knows its watchers by. */
type Registered = Pick<LiveConnection, "sessionId" | "watching" | "revoke">;

/**
 * This instance's open WebSocket connections, by the session each authenticated with. Endings
 * reach them from the revocation gate alone (this instance's commits and confirmed claims at
 * once, the revocation log for what the bus lost), so the cost follows the endings, not the
 * open sockets. A claimed ending of a session with a socket here is one the gate confirms at once.
 */
export class ConnectionRegistry {
  private readonly bySession = new Map<string, Set<Registered>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sessions: SessionService,
    gate: RevocationGate,
  ) {
    this.unsubscribe = gate.onEnded((event) => this.deliver(event));
    gate.actsOn((claim) => this.connectionsOf(claim.sessionId) > 0);
  }

  add(connection: Registered): void {
    const set = this.bySession.get(connection.sessionId) ?? new Set();
    set.add(connection);
    this.bySession.set(connection.sessionId, set);
  }

  remove(connection: Registered): void {
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
  async watch<Watcher>(connection: LiveConnection<Watcher>, watcher: Watcher): Promise<AsyncIterableIterator<SessionEnded>> {
    const stream = connection.watch(watcher);
    const [ended] = await this.sessions.findEnded([connection.sessionId]);
    if (ended) connection.revoke(ended);
    return stream;
  }

  stop(): void {
    this.unsubscribe();
  }

  private deliver(event: SessionEnded): void {
    for (const connection of this.bySession.get(event.sessionId) ?? []) connection.revoke(event);
  }
}
