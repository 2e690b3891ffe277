import type { KeyObject } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { AccessTokens } from "../auth/access-token";
import { hashRefreshToken, newRefreshToken, successorRefreshToken } from "../auth/refresh-token";
import type { SessionEntity } from "../db/entities/session.entity";
import type { Caller, ClientInfo } from "../domain/caller";
import type { EndReason } from "../domain/end-reason";
import { SessionHasEnded } from "../domain/errors";
import type { Role } from "../domain/role";
import type { SessionEnded } from "../domain/session-ended";
import { EXPIRY_ROUNDS, inBatches, PURGE_ROUNDS } from "./batches";
import { describeDevice, truncateUserAgent } from "./device";
import { locate } from "./geo";
import { LruMap } from "../cache/lru-map";
import type { KnownSession } from "./known-sessions";
import * as refreshStore from "./refresh-token-store";
import type { Verdict } from "./revocation/revocation-gate";
import { pruneRevocationLog } from "./revocation/revocation-store";
import * as store from "./session-store";
import type { SessionTransaction } from "./session-transaction";
import { handleOf } from "./transaction-handle";
import type { SessionTransactions } from "./unit-of-work";

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

/** What the auth check asks of this instance's memory of endings (see RevocationGate); times are the shared clock's ms. */
export interface RevocationView {
  verdict(sessionId: string, issuedAtMs: number): Verdict;
  roleOf(userId: string, issuedAtMs: number): Role | undefined;
  /** The shared clock, in ms. */
  now(): number;
}

// Sessions whose owner and role are held in memory; beyond it the least recently used are read again.
const KNOWN_SESSIONS = 200_000;

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
    /** Commits and announces: every ending and new session goes through it. */
    private readonly transactions: SessionTransactions,
    private readonly lastActive: { mark(sessionId: string): void },
    private readonly revocations: RevocationView,
  ) {}

  private readonly known = new LruMap<string, KnownSession>(KNOWN_SESSIONS);

  /** Runs session work in one transaction and announces what it ended or opened once it commits. */
  inTransaction<T>(work: (tx: SessionTransaction) => Promise<T>): Promise<T> {
    return this.transactions.inTransaction(work);
  }

  /** Opens a session for a user who just proved who they are, in the caller's transaction. */
  async open(tx: SessionTransaction, user: { id: string; role: Role }, client: ClientInfo): Promise<IssuedTokens> {
    const m = handleOf(tx);
    const userAgent = truncateUserAgent(client.userAgent);
    const session = await store.insertSession(m, {
      userId: user.id,
      userAgent,
      ipAddress: client.ipAddress,
      device: describeDevice(userAgent, client.device),
      name: client.device?.name ?? null,
      location: locate(client.ipAddress),
      ttlSeconds: this.lifetimes.refreshTokenTtlSeconds,
    });
    const refreshToken = newRefreshToken();
    await refreshStore.insertRefreshToken(m, session.id, hashRefreshToken(refreshToken));
    tx.opened(session);
    this.known.set(session.id, { userId: user.id, role: user.role, readAtMs: this.revocations.now() });
    return this.issue(session, user.role, refreshToken);
  }

  /**
   * The one gate for every authenticated request and socket: a valid signature is not enough,
   * the session must still be active. In steady state that is known in memory (the revocation gate:
   * endings and role changes of the last token lifetime); when memory cannot vouch for it (bus
   * down, a claim unconfirmed), the database is asked. Null for any token that does not pass;
   * a database failure throws (the caller must not mistake it for a bad token).
   */
  async authenticate(accessToken: string | null | undefined): Promise<Caller | null> {
    const claims = accessToken ? this.accessTokens.verify(accessToken) : null;
    if (!claims) return null;
    const verdict = this.revocations.verdict(claims.sessionId, claims.issuedAt * 1000);
    if (verdict === "ended") return null;
    if (verdict === "active") {
      // The owner and role are the database's, never the token's: the signature proves only who signed it.
      const known = this.known.get(claims.sessionId);
      if (known && this.revocations.verdict(claims.sessionId, known.readAtMs) === "active") {
        if (known.userId !== claims.userId) return null;
        // A role changed since the row was read is the gate's.
        const role = this.revocations.roleOf(known.userId, known.readAtMs) ?? known.role;
        this.lastActive.mark(claims.sessionId);
        return { userId: known.userId, sessionId: claims.sessionId, role };
      }
    }
    // Taken before the read, so that a role change committed while it runs is newer than it.
    const readAtMs = this.revocations.now();
    const found = await store.findActiveForAuth(this.db.manager, claims.sessionId);
    if (!found || found.userId !== claims.userId) return null;
    if (verdict === "active") this.known.set(claims.sessionId, { userId: found.userId, role: found.role, readAtMs });
    this.lastActive.mark(claims.sessionId);
    return { userId: found.userId, sessionId: claims.sessionId, role: found.role };
  }

  /** The session id a token names, from its signature alone (no database look-up). */
  sessionIdOf(accessToken: string | null | undefined): string | null {
    return (accessToken && this.accessTokens.verify(accessToken)?.sessionId) || null;
  }

  /**
   * A new pair for a live refresh token; null when the token is unknown. A token of a session
   * that is over (or that this presentation ends, as a reuse) throws SessionHasEnded with how it ended.
   */
  async refresh(presented: string): Promise<IssuedTokens | null> {
    const outcome = await this.transactions.inTransaction(async (tx): Promise<IssuedTokens | SessionHasEnded | null> => {
      const m = handleOf(tx);
      const token = await refreshStore.lockPresentedToken(m, hashRefreshToken(presented), this.lifetimes.refreshReuseGraceSeconds);
      if (!token) return null;
      if (token.ending) return new SessionHasEnded(token.ending.reason, token.ending.at);
      if (!token.rotated && (await refreshStore.markRotated(m, token.tokenId))) {
        const next = successorRefreshToken(this.refreshChainKeys[0], presented);
        await refreshStore.insertRefreshToken(m, token.sessionId, hashRefreshToken(next));
        await store.extendSession(m, token.sessionId, this.lifetimes.refreshTokenTtlSeconds);
        const session = await this.load(m, token.sessionId);
        tx.rowChanged(session);
        return this.issue(session, token.role, next);
      }
      const current = token.withinGrace ? await this.currentTokenFrom(m, token.sessionId, presented) : null;
      if (current) return this.issue(await this.load(m, token.sessionId), token.role, current);
      // RFC 9700 §4.14.2: we cannot tell the thief from the owner, so the whole session ends.
      await tx.recordActivity("REFRESH_TOKEN_REUSED", token.sessionId);
      const [ended] = await tx.end({ sessionId: token.sessionId }, "REFRESH_TOKEN_REUSE", null);
      return new SessionHasEnded("REFRESH_TOKEN_REUSE", ended?.endedAt ?? new Date());
    });
    // Thrown after the commit: a reuse's ending must hold although the caller is refused.
    if (outcome instanceof SessionHasEnded) throw outcome;
    return outcome;
  }

  /** The active session with its new name; null when it is not active. */
  rename(sessionId: string, name: string): Promise<SessionEntity | null> {
    return this.inTransaction(async (tx) => {
      const renamed = await store.renameActiveSession(handleOf(tx), sessionId, name);
      if (renamed) tx.rowChanged(renamed);
      return renamed;
    });
  }

  /** A user's active sessions, read now (lists held in memory: session-lists.ts). */
  listActive(userId: string): Promise<store.ListedSession[]> {
    return store.listActiveSessions(this.db.manager, userId);
  }

  /** The user whose session this is (ended or not); null when there is none. */
  ownerOf(sessionId: string): Promise<string | null> {
    return store.ownerOf(this.db.manager, sessionId);
  }

  /** Ends the matching active sessions; returns how many this call ended. */
  async end(filter: store.SessionFilter, reason: EndReason, endedBy: string | null): Promise<number> {
    return (await this.inTransaction((tx) => tx.end(filter, reason, endedBy))).length;
  }

  /** Ends every session of the user, and the logins still in flight (see SessionTransaction.endEverywhere). */
  async endEverywhere(userId: string, reason: EndReason, endedBy: string | null): Promise<number> {
    return (await this.inTransaction((tx) => tx.endEverywhere(userId, reason, endedBy))).length;
  }

  /**
   * Ends sessions past their expiry, a batch at a time, announcing each batch as it commits;
   * with several instances each is ended (and pushed) once. A backlog larger than the rounds
   * allow is finished by the next sweeps.
   */
  endExpired(): Promise<number> {
    return inBatches(EXPIRY_ROUNDS, async (batch) => (await this.inTransaction((tx) => tx.endExpired(batch))).length);
  }

  /**
   * Deletes what ended longer ago than the retention, in batches, and the revocation log's
   * entries older than `revocationLogSeconds`; returns how many sessions went.
   */
  async purgeEnded(retentionDays: number, revocationLogSeconds: number): Promise<number> {
    const purged = await inBatches(PURGE_ROUNDS, (batch) => store.purgeEndedBefore(this.db.manager, retentionDays, batch));
    // The activity trail is kept as long (docs/api.md, "Activity").
    await inBatches(PURGE_ROUNDS, (batch) => store.purgeActivityBefore(this.db.manager, retentionDays, batch));
    await inBatches(PURGE_ROUNDS, (batch) => pruneRevocationLog(this.db.manager, revocationLogSeconds, batch));
    return purged;
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
