import type { DataSource } from "typeorm";
import type { Logger } from "../logging/logger";
import type { SessionEventBus, SessionNews } from "./session-event-bus";
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
 * This instance first (its sockets are told synchronously, by the gate's listeners), then the
 * other instances, then the audit lines: a thousand log lines written to a slow pipe would
 * otherwise hold the pushes back.
 */
export function announceTo(local: { committed(news: SessionNews): void } | null, bus: SessionEventBus, logger: Logger): Announce {
  return async (news) => {
    if (news.ended.length === 0 && news.started.length === 0 && news.rolesChanged.length === 0 && news.changed.length === 0) return;
    local?.committed(news);
    const published = bus.publish(news);
    for (const e of news.ended) logger.info({ sessionId: e.sessionId, userId: e.userId, actorId: e.endedBy, reason: e.reason }, "session ended");
    await published;
  };
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
