import type { Role } from "../domain/role";

/** What the database said about a session, and when (the shared clock's ms) it was read. */
export interface KnownSession {
  userId: string;
  role: Role;
  readAtMs: number;
}

/**
 * Whose each session is and the role its user had, as last read from the database (or written
 * by this instance's own login), so that a token's signature never has to be believed about
 * either: a correctly signed token naming another user or role is held against this. It is only
 * as good as the revocation gate's memory since `readAtMs`, which the caller checks; the least
 * recently used entry goes first.
 */
export class KnownSessions {
  private readonly entries = new Map<string, KnownSession>();

  constructor(private readonly capacity: number) {}

  get(sessionId: string): KnownSession | undefined {
    const entry = this.entries.get(sessionId);
    if (entry) {
      // Map order is the eviction order: a read moves the entry to the back.
      this.entries.delete(sessionId);
      this.entries.set(sessionId, entry);
    }
    return entry;
  }

  set(sessionId: string, entry: KnownSession): void {
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }
}
