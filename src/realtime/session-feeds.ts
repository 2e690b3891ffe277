import type { SessionEntity } from "../db/entities/session.entity";
import type { SessionChangeEvent } from "../domain/session-change-event";
import type { SessionEnded } from "../domain/session-ended";
import type { SessionStarted } from "../domain/session-started";
import type { Logger } from "../logging/logger";
import type { RevocationGate } from "../sessions/revocation/revocation-gate";
import type { SessionService } from "../sessions/session-service";
import { PushQueue } from "./push-queue";

/** What a feed yields: a change, with the session's row. */
export type FeedEvent = SessionChangeEvent<SessionEntity>;

interface Feed {
  sessionId: string;
  queue: PushQueue<FeedEvent>;
  openedAt: number;
  /** "id:change" of what this feed was told, so a catch-up never tells it twice. */
  told: Set<string>;
}

// How far before the last catch-up the next one looks again: clocks of instances and database differ.
const CATCH_UP_MARGIN_MS = 60_000;

type Pending = { kind: "started"; event: SessionStarted } | { kind: "ended"; event: SessionEnded };

/**
 * This instance's `mySessionsChanged` subscriptions, by user: a start or an ending reaches only
 * the feeds of its own user, looked up in a map, never a broadcast that each feed filters. What
 * a feed is told is read from the database after the commit (one query per batch of changes),
 * so a message forged on the bus shows nothing that is not there. Starts, endings and resyncs
 * come from the revocation gate alone; when the bus may have lost messages (a resync), the
 * changes since the last catch-up are read from the database.
 */
export class SessionFeeds {
  private readonly byUser = new Map<string, Set<Feed>>();
  private readonly unsubscribe: (() => void)[];
  private pending: Pending[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private caughtUpAt = Date.now();

  constructor(
    private readonly sessions: SessionService,
    gate: RevocationGate,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = [
      gate.onEnded((event) => this.enqueue({ kind: "ended", event })),
      gate.onStarted((event) => this.enqueue({ kind: "started", event })),
      gate.onResync(() => {
        this.flushing = this.flushing.then(() => this.catchUp());
      }),
    ];
    gate.actsOn((claim) => this.feedsOf(claim.userId) > 0);
  }

  /** A stream of the user's session changes for a connection authenticated with `sessionId`. */
  open(userId: string, sessionId: string): AsyncIterableIterator<FeedEvent> {
    const feeds = this.byUser.get(userId) ?? new Set<Feed>();
    this.byUser.set(userId, feeds);
    const feed: Feed = {
      sessionId,
      openedAt: Date.now(),
      told: new Set(),
      queue: new PushQueue(() => {
        feeds.delete(feed);
        if (feeds.size === 0 && this.byUser.get(userId) === feeds) this.byUser.delete(userId);
      }),
    };
    feeds.add(feed);
    return feed.queue;
  }

  /** How many subscriptions of this user are open on this instance. */
  feedsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** mySessionsChanged subscriptions open on this instance. */
  get feedCount(): number {
    let count = 0;
    for (const feeds of this.byUser.values()) count += feeds.size;
    return count;
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    for (const feeds of [...this.byUser.values()]) for (const feed of [...feeds]) void feed.queue.return();
  }

  private enqueue(change: Pending): void {
    if (!this.byUser.has(change.event.userId)) return;
    this.pending.push(change);
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Changes arriving together (terminateOtherSessions) are read in one query, and in order.
    this.flushing = this.flushing.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    const byUser = new Map<string, Pending[]>();
    for (const change of batch) byUser.set(change.event.userId, [...(byUser.get(change.event.userId) ?? []), change]);
    for (const [userId, changes] of byUser) {
      try {
        const rows = await this.sessions.findSessionsOf(userId, [...new Set(changes.map((c) => c.event.sessionId))]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const change of changes) {
          const session = byId.get(change.event.sessionId);
          if (session) this.deliver(userId, change.kind === "started" ? "STARTED" : "ENDED", session);
        }
      } catch (error) {
        this.logger.error({ err: error, userId }, "could not read session changes for live lists");
      }
    }
  }

  /** The changes to the users with open feeds since the last catch-up, as the database has them. */
  private async catchUp(): Promise<void> {
    const started = Date.now();
    const users = [...this.byUser.keys()];
    if (users.length === 0) {
      this.caughtUpAt = started;
      return;
    }
    try {
      const since = new Date(this.caughtUpAt - CATCH_UP_MARGIN_MS);
      for (const session of await this.sessions.findChangedSince(users, since)) {
        if (session.createdAt >= since) this.deliver(session.userId, "STARTED", session, true);
        if (session.endedAt && session.endedAt >= since) this.deliver(session.userId, "ENDED", session, true);
      }
      this.caughtUpAt = started;
    } catch (error) {
      this.logger.error({ err: error }, "could not catch up on session changes for live lists");
    }
  }

  private deliver(userId: string, change: "STARTED" | "ENDED", session: SessionEntity, caughtUp = false): void {
    const event =
      change === "STARTED"
        ? { change, session, reason: null, at: session.createdAt }
        : { change, session, reason: session.endReason, at: session.endedAt! };
    // An ending the database does not show (yet) is not told.
    if (change === "ENDED" && !session.endedAt) return;
    const key = `${session.id}:${change}`;
    for (const feed of this.byUser.get(userId) ?? []) {
      // A connection's own ending reaches it as sessionRevoked, and then it closes.
      if (change === "ENDED" && feed.sessionId === session.id) continue;
      // What happened before the feed opened is in the list its client loaded.
      if (feed.told.has(key) || (caughtUp && event.at.getTime() < feed.openedAt)) continue;
      feed.told.add(key);
      feed.queue.push({ ...event, receiverSessionId: feed.sessionId });
    }
  }
}
