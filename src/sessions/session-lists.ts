import { LruMap } from "../cache/lru-map";
import type { ListedSession } from "./session-store";

export type { ListedSession };

export interface SessionListsOptions {
  /** Users whose lists are held at once; the least recently read goes first. */
  capacity: number;
  /**
   * How long a list is believed at most. Everything that adds, ends, refreshes or renames a
   * session is news that drops it; what is not news is `lastActiveAt` written by another
   * instance, so this is the last-active resolution: a list is no staler than the column is.
   */
  ttlMs: number;
}

/**
 * Each user's active sessions as last read, so that a Sessions page open on many devices, or
 * polled, reads the database once per change instead of once per view. A list is dropped by any
 * news of its user's sessions (started, ended, refreshed, renamed: `forget`), by this
 * instance's own last-active writes (`touched`), and entirely when news may have been lost
 * (`clear`, on a resync); it is used only while the revocation gate vouches for its memory.
 * Times are the shared clock's.
 */
export class SessionLists {
  private readonly lists: LruMap<string, { sessions: ListedSession[]; readAtMs: number }>;
  /** Whose list each held session is in, so a touch by session id finds its list. */
  private readonly ownerOf = new Map<string, string>();
  /** The read in flight for a user, shared by every caller meanwhile; news drops it, so its result is not kept. */
  private readonly reading = new Map<string, Promise<ListedSession[]>>();

  constructor(
    private readonly read: (userId: string) => Promise<ListedSession[]>,
    private readonly clock: { now(): number },
    /** Whether every change made anywhere reaches `forget` now (the bus is up and the log read). */
    private readonly hearsEverything: () => boolean,
    private readonly options: SessionListsOptions,
  ) {
    this.lists = new LruMap(options.capacity, (_userId, evicted) => this.unindex(evicted.sessions));
  }

  /** The list held, without waiting when it is; else the database's, shared with every read of it in flight. */
  of(userId: string): ListedSession[] | Promise<ListedSession[]> {
    const now = this.clock.now();
    const held = this.lists.get(userId);
    if (held && now - held.readAtMs < this.options.ttlMs && this.hearsEverything()) {
      return held.sessions.every((s) => s.expiresAt.getTime() > now) ? held.sessions : held.sessions.filter((s) => s.expiresAt.getTime() > now);
    }
    return this.readAndHold(userId, now);
  }

  private async readAndHold(userId: string, now: number): Promise<ListedSession[]> {
    const inFlight = this.reading.get(userId);
    if (inFlight) return inFlight;
    const read = this.read(userId);
    this.reading.set(userId, read);
    try {
      const sessions = await read;
      // Still the read of record: no news came meanwhile.
      if (this.reading.get(userId) === read && this.hearsEverything()) this.hold(userId, sessions, now);
      return sessions;
    } finally {
      if (this.reading.get(userId) === read) this.reading.delete(userId);
    }
  }

  forget(userId: string): void {
    this.reading.delete(userId);
    const held = this.lists.get(userId);
    if (!held) return;
    this.lists.delete(userId);
    this.unindex(held.sessions);
  }

  /** This instance wrote these sessions' `lastActiveAt`: their lists' order and times moved. */
  touched(sessionIds: string[]): void {
    for (const id of sessionIds) {
      const owner = this.ownerOf.get(id);
      if (owner) this.forget(owner);
    }
  }

  clear(): void {
    this.lists.clear();
    this.ownerOf.clear();
    this.reading.clear();
  }

  private hold(userId: string, sessions: ListedSession[], readAtMs: number): void {
    this.forget(userId);
    for (const session of sessions) this.ownerOf.set(session.id, userId);
    this.lists.set(userId, { sessions, readAtMs });
  }

  private unindex(sessions: ListedSession[]): void {
    for (const session of sessions) this.ownerOf.delete(session.id);
  }
}
