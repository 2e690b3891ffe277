import type { DataSource } from "typeorm";
import type { Logger } from "../logging/logger";
import { performance } from "node:perf_hooks";
import { mustReachEveryone, type SessionEventBus, type SessionNews } from "./session-event-bus";
import { SessionTransaction } from "./session-transaction";
import { releaseHandle } from "./transaction-handle";

/** Tells what a transaction committed; runs after the commit, never for a rollback. */
export type Announce = (news: SessionNews) => Promise<void>;

/**
 * Before the commit: what the transaction is about to end, so that the database's own news of
 * it (PostgreSQL's NOTIFY can arrive before the commit's answer) is known for this instance's
 * own. Returns the release, called once the commit is announced or has failed.
 */
export type Expect = (news: SessionNews) => () => void;

const expectNothing: Expect = () => () => undefined;

/** A process that tells no one: the revocation log alone carries its endings (another process, a test). */
export const announceNowhere: Announce = async () => undefined;

/**
 * The other instances' message is sent first (its work there runs alongside ours), then this
 * instance's sockets are told, synchronously, by the gate's listeners, then the audit lines are
 * written: a thousand log lines written to a slow pipe would otherwise hold the pushes back.
 * An ending or role change the bus cannot say it delivered holds the answer until the others have
 * read it from the revocation log (`holdMs` after the commit, see `undeliveredHoldMs`), so the
 * client's next request is refused on any instance all the same.
 */
export function announceTo(local: { committed(news: SessionNews): void } | null, bus: SessionEventBus, logger: Logger, holdMs: number): Announce {
  return async (news) => {
    if (news.ended.length === 0 && news.started.length === 0 && news.rolesChanged.length === 0 && news.changed.length === 0) return;
    const committedAt = performance.now();
    const published = bus.publish(news);
    local?.committed(news);
    logEndings(news.ended, logger);
    if ((await published) || !mustReachEveryone(news)) return;
    const left = committedAt + holdMs - performance.now();
    if (left <= 0) return;
    logger.warn({ waitMs: Math.round(left) }, "the bus could not confirm that other instances heard of an ending; its answer waits until they have read the revocation log");
    await new Promise((resolve) => setTimeout(resolve, left));
  };
}

/**
 * One audit line per ending, or per group of endings of one user with one reason and actor (a
 * logout everywhere of a thousand devices is one line naming them all, not a thousand lines
 * whose writes would hold the answer back).
 */
function logEndings(ended: SessionNews["ended"], logger: Logger): void {
  const groups = new Map<string, SessionNews["ended"]>();
  for (const e of ended) {
    const key = `${e.userId} ${e.reason} ${e.endedBy}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  for (const [first, ...rest] of groups.values()) {
    const who = { userId: first.userId, actorId: first.endedBy, reason: first.reason };
    if (rest.length === 0) logger.info({ sessionId: first.sessionId, ...who }, "session ended");
    else logger.info({ ...who, sessionIds: [first, ...rest].map((e) => e.sessionId), count: rest.length + 1 }, "sessions ended");
  }
}

/** Whatever runs session work in a transaction (the unit of work, or the service that owns one). */
export interface SessionTransactions {
  inTransaction<T>(work: (tx: SessionTransaction) => Promise<T>): Promise<T>;
}

/**
 * The one place that commits session changes and announces them: every ending and every new
 * session goes through here, so no caller has to remember to announce, and nothing is
 * announced that did not commit.
 */
export class UnitOfWork implements SessionTransactions {
  constructor(
    private readonly db: DataSource,
    private readonly announce: Announce = announceNowhere,
    private readonly expect: Expect = expectNothing,
  ) {}

  async inTransaction<T>(work: (tx: SessionTransaction) => Promise<T>): Promise<T> {
    let release = (): void => undefined;
    try {
      const done = await this.db.transaction(async (m) => {
        const tx = new SessionTransaction(m);
        try {
          const result = await work(tx);
          const news = tx.news();
          release = this.expect(news);
          return { result, news };
        } finally {
          releaseHandle(tx);
        }
      });
      await this.announce(done.news);
      return done.result;
    } finally {
      release();
    }
  }
}
