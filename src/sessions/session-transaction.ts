import type { EntityManager } from "typeorm";
import type { SessionEntity } from "../db/entities/session.entity";
import type { Queryable } from "../db/queryable";
import type { ActivityKind } from "../domain/activity-kind";
import type { EndReason } from "../domain/end-reason";
import type { SessionEnded } from "../domain/session-ended";
import type { SessionChanged, SessionNews } from "./session-event-bus";
import * as store from "./session-store";
import { bindHandle } from "./transaction-handle";

/**
 * The sessions domain inside one database transaction: what it ends, opens and changes is
 * collected here, and announced by the unit of work once the transaction has committed (never
 * before, never if it rolls back). Callers from other folders run their own statements through
 * `sql`, in the same transaction.
 */
export class SessionTransaction {
  private readonly ended: SessionEnded[] = [];
  private readonly started: SessionEntity[] = [];
  private readonly rolesChanged: string[] = [];
  private readonly changed: SessionChanged[] = [];

  constructor(private readonly m: EntityManager) {
    bindHandle(this, m);
  }

  /** For the caller's own statements, in this transaction. */
  get sql(): Queryable {
    return this.m;
  }

  /** Ends the matching active sessions; returns exactly those this call ended. */
  async end(filter: store.SessionFilter, reason: EndReason, endedBy: string | null): Promise<SessionEnded[]> {
    const ended = await store.endSessions(this.m, filter, reason, endedBy);
    this.ended.push(...ended);
    return ended;
  }

  /**
   * Ends every session of the user and refuses the logins still in flight (their password was
   * checked, their session not yet opened): a logout everywhere must not be outrun by one.
   */
  async endEverywhere(userId: string, reason: EndReason, endedBy: string | null): Promise<SessionEnded[]> {
    await store.bumpAuthEpoch(this.m, userId);
    return this.end({ userId }, reason, endedBy);
  }

  /** Ends up to `batch` sessions past their expiry (see session-store). */
  async endExpired(batch: number): Promise<SessionEnded[]> {
    const ended = await store.endExpiredSessions(this.m, batch);
    this.ended.push(...ended);
    return ended;
  }

  /** An entry in the account's activity trail for an act of (or on) this session. */
  recordActivity(kind: ActivityKind, sessionId: string): Promise<void> {
    return store.recordSessionActivity(this.m, kind, sessionId);
  }

  /** A user's role changed in this transaction: every instance reads the log once it commits. */
  roleChanged(userId: string): void {
    this.rolesChanged.push(userId);
  }

  /** A session opened in this transaction (by SessionService.open). */
  opened(session: SessionEntity): void {
    this.started.push(session);
  }

  /** A session's row changed in place (a refresh, a rename): lists of it are out of date. */
  rowChanged(session: { id: string; userId: string }): void {
    this.changed.push({ sessionId: session.id, userId: session.userId });
  }

  /** What to announce after the commit. */
  news(): SessionNews {
    return {
      ended: this.ended,
      started: this.started.map((s) => ({ sessionId: s.id, userId: s.userId, startedAt: s.createdAt })),
      rolesChanged: this.rolesChanged,
      changed: this.changed,
    };
  }
}
