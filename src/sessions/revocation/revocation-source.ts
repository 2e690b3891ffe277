import type { Role } from "../../domain/role";
import type { SessionEnded } from "../../domain/session-ended";

/** One entry of the revocation log: a session that ended, or a user whose role changed. */
export type Revocation =
  | { id: number; at: Date; kind: "ended"; ended: SessionEnded }
  | { id: number; at: Date; kind: "role"; userId: string; role: Role };

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
