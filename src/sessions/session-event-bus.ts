import type { SessionEnded } from "../domain/session-ended";
import type { SessionStarted } from "../domain/session-started";

/** A message's claim that a session ended; nothing in it is believed until the database says so. */
export interface ClaimedEnding {
  sessionId: string;
  userId: string;
}

/** A session whose row changed in place: a refresh moved its expiry, or it was renamed. */
export interface SessionChanged {
  sessionId: string;
  userId: string;
}

/** What one committed transaction changed, as it is told to this instance and then to the others. */
export interface SessionNews {
  ended: SessionEnded[];
  started: SessionStarted[];
  /** Users whose role changed: the other instances read the revocation log at once. */
  rolesChanged: string[];
  /** Sessions refreshed or renamed: what lists of sessions hold of them is out of date. */
  changed: SessionChanged[];
}

/**
 * News the next request on any instance must see: an ending refuses the session's tokens, a role
 * change its rights. Starts and changes only make lists current, and a late one only delays them;
 * an expiry refuses nothing new, since no access token outlives its session's expiry.
 */
export function mustReachEveryone(news: SessionNews): boolean {
  return news.ended.some((e) => e.reason !== "EXPIRED") || news.rolesChanged.length > 0;
}

/** What the bus hands on from other instances; the revocation gate is its one listener. */
export interface BusListener {
  /** Another instance says these sessions ended. */
  claimed(claims: ClaimedEnding[]): void;
  /** Another instance opened these sessions. */
  started(events: SessionStarted[]): void;
  /** Another instance (or psql) changed these sessions' rows: only caches listen. */
  changed(events: SessionChanged[]): void;
  /** Messages may have been lost (a reconnect), or another process asks for a read of the log. */
  resync(): void;
}

/**
 * Carries this instance's committed news to the other instances, and theirs to this one. It
 * only makes news arrive sooner: the database stays the truth, each instance reads what the bus
 * lost from the revocation log, and this instance learns its own news from its commit (an echo
 * of it on the bus, as PostgreSQL's NOTIFY sends, is recognised by the gate and told no one).
 * Implemented here for a single instance, and in realtime/ over Redis or PostgreSQL for several.
 */
export interface SessionEventBus {
  /**
   * Sends the news; true once every instance listening now has been told (Redis took the message,
   * or PostgreSQL's notification came back), false when that is not known.
   */
  publish(news: SessionNews): Promise<boolean>;
  listen(listener: BusListener): void;
  /** Whether news from other instances can arrive now. */
  connected(): boolean;
  close(): Promise<void>;
}

/** No other instance to tell: one process, or instances that only share the revocation log. */
export class LocalOnlyEventBus implements SessionEventBus {
  async publish(): Promise<boolean> {
    return true;
  }

  listen(): void {}

  connected(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}
