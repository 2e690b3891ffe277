import type { KeyObject } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { AccessTokens } from "../auth/access-token";
import { hashRefreshToken, newRefreshToken, successorRefreshToken } from "../auth/refresh-token";
import type { RevocationReason, SessionEntity } from "../db/entities/session.entity";
import type { Role } from "../db/entities/user.entity";
import type { Logger } from "../logger";
import type { RevocationBus } from "../realtime/revocation-bus";
import { parseDevice, truncateUserAgent } from "./device";
import { locate } from "./geo";
import * as refreshStore from "./refresh-token-store";
import type { RevocationEvent } from "./revocation-event";
import * as store from "./session-store";

/** Who is calling, as established from a valid access token of an active session. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: Role;
}

/** Where a login or refresh comes from. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string | undefined;
}

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
  lastActiveResolutionSeconds: number;
}

/** Why a refresh was refused; the edge turns every one of these into UNAUTHENTICATED. */
export type RefreshRefusal = "unknown" | "inactive" | "reused";

// How many rotations within the grace window a late tab can catch up on.
const MAX_GRACE_CHAIN = 8;

/** The session domain: open, authenticate, refresh, end. Every ending is committed before it is announced. */
export class SessionService {
  constructor(
    private readonly db: DataSource,
    private readonly accessTokens: AccessTokens,
    private readonly refreshChainKey: KeyObject,
    private readonly lifetimes: SessionLifetimes,
    private readonly bus: RevocationBus,
    private readonly logger: Logger,
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
    await store.insertRefreshToken(m, session.id, hashRefreshToken(refreshToken));
    return this.issue(session, user.role, refreshToken);
  }

  /**
   * The one gate for every authenticated request and socket: a valid signature is not enough,
   * the session must be active in the database right now, and the role is read from there.
   */
  async authenticate(accessToken: string | null | undefined): Promise<Caller | null> {
    const claims = accessToken ? this.accessTokens.verify(accessToken) : null;
    if (!claims) return null;
    const found = await store.findActiveForAuth(this.db.manager, claims.sessionId, this.lifetimes.lastActiveResolutionSeconds);
    if (!found || found.userId !== claims.userId) return null;
    if (found.stale) await store.touchSession(this.db.manager, claims.sessionId);
    return { userId: found.userId, sessionId: claims.sessionId, role: found.role };
  }

  /** The session id a token names, from its signature alone (no database look-up). */
  sessionIdOf(accessToken: string | null | undefined): string | null {
    return (accessToken && this.accessTokens.verify(accessToken)?.sessionId) || null;
  }

  async refresh(presented: string): Promise<IssuedTokens | RefreshRefusal> {
    let reused: RevocationEvent[] = [];
    const outcome = await this.db.transaction(async (m) => {
      const token = await refreshStore.lockPresentedToken(m, hashRefreshToken(presented), this.lifetimes.refreshReuseGraceSeconds);
      if (!token) return "unknown" as const;
      if (!token.sessionActive) return "inactive" as const;
      if (!token.rotated && (await refreshStore.markRotated(m, token.tokenId))) {
        const next = successorRefreshToken(this.refreshChainKey, presented);
        await store.insertRefreshToken(m, token.sessionId, hashRefreshToken(next));
        await refreshStore.extendSession(m, token.sessionId, this.lifetimes.refreshTokenTtlSeconds);
        return this.issue(await this.load(m, token.sessionId), token.role, next);
      }
      const current = token.withinGrace ? await this.currentTokenFrom(m, token.sessionId, presented) : null;
      if (current) return this.issue(await this.load(m, token.sessionId), token.role, current);
      // RFC 9700 §4.14.2: we cannot tell the thief from the owner, so the whole session ends.
      reused = await store.endSessions(m, { sessionId: token.sessionId }, "REFRESH_TOKEN_REUSE", null);
      return "reused" as const;
    });
    await this.announce(reused);
    return outcome;
  }

  listActive(userId: string): Promise<SessionEntity[]> {
    return store.listActiveSessions(this.db.manager, userId);
  }

  findSession(sessionId: string): Promise<SessionEntity | null> {
    return store.findSession(this.db.manager, sessionId);
  }

  /** Ends the matching active sessions, then announces them; returns how many this call ended. */
  async end(filter: store.SessionFilter, reason: RevocationReason, endedBy: string | null): Promise<number> {
    const ended = await store.endSessions(this.db.manager, filter, reason, endedBy);
    await this.announce(ended);
    return ended.length;
  }

  /** For callers that end sessions inside a larger transaction: announce only after it commits. */
  endWithin(m: EntityManager, filter: store.SessionFilter, reason: RevocationReason, endedBy: string | null): Promise<RevocationEvent[]> {
    return store.endSessions(m, filter, reason, endedBy);
  }

  async endExpired(): Promise<number> {
    const ended = await store.endExpiredSessions(this.db.manager);
    await this.announce(ended);
    return ended.length;
  }

  /** Of these sessions, the ones that are no longer active, with how they ended. */
  findInactive(sessionIds: string[]): Promise<RevocationEvent[]> {
    return store.findInactive(this.db.manager, sessionIds);
  }

  /** The audit trail and the push, for endings already committed. */
  announce(events: RevocationEvent[]): Promise<void> {
    for (const e of events) this.logger.info(`session ${e.sessionId} of user ${e.userId} ended: ${e.reason}`);
    return events.length ? this.bus.publish(events) : Promise.resolve();
  }

  /** Walks the successor chain from a recently rotated token to the session's live one. */
  private async currentTokenFrom(m: EntityManager, sessionId: string, rotated: string): Promise<string | null> {
    let candidate = rotated;
    for (let step = 0; step < MAX_GRACE_CHAIN; step++) {
      candidate = successorRefreshToken(this.refreshChainKey, candidate);
      if (await refreshStore.isCurrentToken(m, sessionId, hashRefreshToken(candidate))) return candidate;
    }
    return null;
  }

  private async load(m: EntityManager, sessionId: string): Promise<SessionEntity> {
    const session = await store.findSession(m, sessionId);
    if (!session) throw new Error(`session ${sessionId} vanished inside its own transaction`);
    return session;
  }

  private issue(session: SessionEntity, role: Role, refreshToken: string): IssuedTokens {
    const access = this.accessTokens.sign({ userId: session.userId, sessionId: session.id, role });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: session.expiresAt,
      session,
    };
  }
}
