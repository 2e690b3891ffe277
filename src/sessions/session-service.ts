import type { KeyObject } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { AccessTokens } from "../auth/access-token";
import { hashRefreshToken, newRefreshToken, successorRefreshToken } from "../auth/refresh-token";
import type { SessionEntity } from "../db/entities/session.entity";
import type { Caller, ClientInfo } from "../domain/caller";
import type { EndReason } from "../domain/end-reason";
import { isRole, type Role } from "../domain/role";
import type { Logger } from "../logging/logger";
import { parseDevice, truncateUserAgent } from "./device";
import { locate } from "./geo";
import * as refreshStore from "./refresh-token-store";
import { pruneRevocationLog } from "./revocation-store";
import type { SessionEnded } from "./session-ended";
import type { SessionEventBus } from "./session-event-bus";
import type { Verdict } from "./revocations";
import * as store from "./session-store";

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  session: SessionEntity;
}

export interface SessionLifetimes {
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
}

/** What the auth check asks of this instance's memory of endings (see Revocations). */
export interface RevocationView {
  verdict(sessionId: string): Verdict;
  roleOf(userId: string): Role | undefined;
}

// Each statement of the expiry sweep ends at most this many sessions, up to this many times a sweep.
const EXPIRY_BATCH = 1000;
const EXPIRY_ROUNDS = 20;

// Batches keep each purge statement short; a backlog is worked off over several sweeps.
const PURGE_BATCH = 1000;
const PURGE_ROUNDS = 10;

/** Runs a batched delete until a batch comes back short (or the rounds run out); returns how many went. */
async function inBatches(deleteBatch: (batch: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let round = 0; round < PURGE_ROUNDS; round++) {
    const deleted = await deleteBatch(PURGE_BATCH);
    total += deleted;
    if (deleted < PURGE_BATCH) break;
  }
  return total;
}

// How many rotations within the grace window a late tab can catch up on.
const MAX_GRACE_CHAIN = 8;

/**
 * The session domain: open, authenticate, refresh, end. Every ending is committed before it
 * is announced. "End" is the one verb below the API: a session is marked ended, never deleted.
 */
export class SessionService {
  constructor(
    private readonly db: DataSource,
    private readonly accessTokens: AccessTokens,
    /** The current secret's chain key first; previous secrets' ones let a rotation keep late tabs. */
    private readonly refreshChainKeys: KeyObject[],
    private readonly lifetimes: SessionLifetimes,
    private readonly bus: SessionEventBus,
    private readonly logger: Logger,
    private readonly lastActive: { mark(sessionId: string): void },
    private readonly revocations: RevocationView,
  ) {}

  /** Opens a session for a user who just proved who they are; runs inside the caller's transaction. */
  async open(m: EntityManager, user: { id: string; role: Role }, client: ClientInfo): Promise<IssuedTokens> {
    const userAgent = truncateUserAgent(client.userAgent);
    const session = await store.insertSession(m, {
      userId: user.id,
      userAgent,
      ipAddress: client.ipAddress,
      device: parseDevice(userAgent),
      location: locate(client.ipAddress),
      ttlSeconds: this.lifetimes.refreshTokenTtlSeconds,
    });
    const refreshToken = newRefreshToken();
    await refreshStore.insertRefreshToken(m, session.id, hashRefreshToken(refreshToken));
    return this.issue(session, user.role, refreshToken);
  }

  /**
   * The one gate for every authenticated request and socket: a valid signature is not enough,
   * the session must still be active. In steady state that is known in memory (`Revocations`:
   * endings and role changes of the last token lifetime); when memory cannot vouch for it (bus
   * down, a claim unconfirmed), the database is asked. Null for any token that does not pass;
   * a database failure throws (the caller must not mistake it for a bad token).
   */
  async authenticate(accessToken: string | null | undefined): Promise<Caller | null> {
    const claims = accessToken ? this.accessTokens.verify(accessToken) : null;
    if (!claims) return null;
    const verdict = this.revocations.verdict(claims.sessionId);
    if (verdict === "ended") return null;
    if (verdict === "active") {
      const role = this.revocations.roleOf(claims.userId) ?? claims.role;
      if (!isRole(role)) return null;
      this.lastActive.mark(claims.sessionId);
      return { userId: claims.userId, sessionId: claims.sessionId, role };
    }
    const found = await store.findActiveForAuth(this.db.manager, claims.sessionId);
    if (!found || found.userId !== claims.userId) return null;
    this.lastActive.mark(claims.sessionId);
    return { userId: found.userId, sessionId: claims.sessionId, role: found.role };
  }

  /** The session id a token names, from its signature alone (no database look-up). */
  sessionIdOf(accessToken: string | null | undefined): string | null {
    return (accessToken && this.accessTokens.verify(accessToken)?.sessionId) || null;
  }

  /** A new pair for a live refresh token; null when it is unknown, spent or its session is over. */
  async refresh(presented: string): Promise<IssuedTokens | null> {
    let reused: SessionEnded[] = [];
    const issued = await this.db.transaction(async (m) => {
      const token = await refreshStore.lockPresentedToken(m, hashRefreshToken(presented), this.lifetimes.refreshReuseGraceSeconds);
      if (!token || !token.sessionActive) return null;
      if (!token.rotated && (await refreshStore.markRotated(m, token.tokenId))) {
        const next = successorRefreshToken(this.refreshChainKeys[0], presented);
        await refreshStore.insertRefreshToken(m, token.sessionId, hashRefreshToken(next));
        await store.extendSession(m, token.sessionId, this.lifetimes.refreshTokenTtlSeconds);
        return this.issue(await this.load(m, token.sessionId), token.role, next);
      }
      const current = token.withinGrace ? await this.currentTokenFrom(m, token.sessionId, presented) : null;
      if (current) return this.issue(await this.load(m, token.sessionId), token.role, current);
      // RFC 9700 §4.14.2: we cannot tell the thief from the owner, so the whole session ends.
      await store.recordSessionActivity(m, "REFRESH_TOKEN_REUSED", token.sessionId);
      reused = await store.endSessions(m, { sessionId: token.sessionId }, "REFRESH_TOKEN_REUSE", null);
      return null;
    });
    await this.announce(reused);
    return issued;
  }

  listActive(userId: string): Promise<SessionEntity[]> {
    return store.listActiveSessions(this.db.manager, userId);
  }

  findSession(sessionId: string): Promise<SessionEntity | null> {
    return store.findSession(this.db.manager, sessionId);
  }

  /** Ends the matching active sessions, then announces them; returns how many this call ended. */
  async end(filter: store.SessionFilter, reason: EndReason, endedBy: string | null): Promise<number> {
    const ended = await store.endSessions(this.db.manager, filter, reason, endedBy);
    await this.announce(ended);
    return ended.length;
  }

  /**
   * Ends every session of the user and refuses the logins still in flight (their password was
   * checked, their session not yet opened): a logout everywhere must not be outrun by one.
   */
  async endEverywhere(userId: string, reason: EndReason, endedBy: string | null): Promise<number> {
    const ended = await this.db.transaction(async (m) => {
      await store.bumpAuthEpoch(m, userId);
      return store.endSessions(m, { userId }, reason, endedBy);
    });
    await this.announce(ended);
    return ended.length;
  }

  /** For callers that end sessions inside a larger transaction: announce only after it commits. */
  endWithin(m: EntityManager, filter: store.SessionFilter, reason: EndReason, endedBy: string | null): Promise<SessionEnded[]> {
    return store.endSessions(m, filter, reason, endedBy);
  }

  /**
   * Ends sessions past their expiry, a batch at a time, announcing each batch as it commits;
   * with several instances each is ended (and pushed) once. A backlog larger than the rounds
   * allow is finished by the next sweeps.
   */
  async endExpired(): Promise<number> {
    let total = 0;
    for (let round = 0; round < EXPIRY_ROUNDS; round++) {
      const ended = await store.endExpiredSessions(this.db.manager, EXPIRY_BATCH);
      await this.announce(ended);
      total += ended.length;
      if (ended.length < EXPIRY_BATCH) break;
    }
    return total;
  }

  /**
   * Deletes what ended longer ago than the retention, in batches, and the revocation log's
   * entries older than `revocationLogSeconds`; returns how many sessions went.
   */
  async purgeEnded(retentionDays: number, revocationLogSeconds: number): Promise<number> {
    const purged = await inBatches((batch) => store.purgeEndedBefore(this.db.manager, retentionDays, batch));
    // The activity trail is kept as long (API.md, "Activity").
    await inBatches((batch) => store.purgeActivityBefore(this.db.manager, retentionDays, batch));
    await inBatches((batch) => pruneRevocationLog(this.db.manager, revocationLogSeconds, batch));
    return purged;
  }

  /** Tells the user's live session lists, on every instance, of a session just committed. */
  announceStarted(session: SessionEntity): Promise<void> {
    return this.bus.publishStarted({ sessionId: session.id, userId: session.userId, startedAt: session.createdAt });
  }

  /** These sessions of this user, in any state, as they are now (to tell live lists about them). */
  findSessionsOf(userId: string, sessionIds: string[]): Promise<SessionEntity[]> {
    return store.findSessionsOf(this.db.manager, userId, sessionIds);
  }

  /** These users' sessions that started or ended after `since` (a catch-up after lost messages). */
  findChangedSince(userIds: string[], since: Date): Promise<SessionEntity[]> {
    return store.findChangedSince(this.db.manager, userIds, since);
  }

  /** Of these sessions, the ones that are no longer active, with how they ended. */
  findEnded(sessionIds: string[]): Promise<SessionEnded[]> {
    return store.findInactive(this.db.manager, sessionIds);
  }

  /**
   * The push and the audit trail, for endings already committed. The push goes first: this
   * instance's sockets are told synchronously inside publish, and a thousand log lines written
   * to a slow pipe would otherwise hold them back.
   */
  async announce(events: SessionEnded[]): Promise<void> {
    if (events.length === 0) return;
    const published = this.bus.publish(events);
    for (const e of events) this.logger.info({ sessionId: e.sessionId, userId: e.userId, actorId: e.endedBy, reason: e.reason }, "session ended");
    await published;
  }

  /** Walks the successor chain from a recently rotated token to the session's live one. */
  private async currentTokenFrom(m: EntityManager, sessionId: string, rotated: string): Promise<string | null> {
    for (const chainKey of this.refreshChainKeys) {
      let candidate = rotated;
      for (let step = 0; step < MAX_GRACE_CHAIN; step++) {
        candidate = successorRefreshToken(chainKey, candidate);
        if (await refreshStore.isCurrentToken(m, sessionId, hashRefreshToken(candidate))) return candidate;
      }
    }
    return null;
  }

  private async load(m: EntityManager, sessionId: string): Promise<SessionEntity> {
    const session = await store.findSession(m, sessionId);
    if (!session) throw new Error(`session ${sessionId} vanished inside its own transaction`);
    return session;
  }

  private issue(session: SessionEntity, role: Role, refreshToken: string): IssuedTokens {
    // Never valid past its session's expiry: memory learns of an expiry only when the sweep ends it.
    const access = this.accessTokens.sign({ userId: session.userId, sessionId: session.id, role }, session.expiresAt);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: session.expiresAt,
      session,
    };
  }
}
