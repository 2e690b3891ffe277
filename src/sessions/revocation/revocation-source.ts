import type { SessionEnded } from "../../domain/session-ended";
import type { Revocation } from "./revocation-store";

/** Milliseconds since the epoch by the database's clock (db/database-clock.ts), injected so that tests can move time. */
export interface Clock {
  now(): number;
}

/** What the revocation gate reads from the database. */
export interface RevocationSource {
  /** Everything logged within the last `seconds`, in log order. */
  recent(seconds: number): Promise<Revocation[]>;
  /** The newest entry's id (0 for an empty log). */
  lastId(): Promise<number>;
  /** Up to `limit` entries after `afterId` or among `missing`, in log order. */
  after(afterId: number, missing: number[], limit: number): Promise<Revocation[]>;
  /** Of these sessions, the ones that are no longer active, with how they ended. */
  ended(sessionIds: string[]): Promise<SessionEnded[]>;
}
