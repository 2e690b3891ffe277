import type { EntityManager } from "typeorm";
import type { EndReason } from "../domain/end-reason";
import type { Role } from "../domain/role";

/** A presented refresh token, read after its session's row has been locked. */
export interface PresentedToken {
  tokenId: string;
  sessionId: string;
  userId: string;
  role: Role;
  /** Null while the session is neither ended nor past expiresAt; else how it ended: its reason and time, or EXPIRED at expiresAt when not yet swept. */
  ending: { reason: EndReason; at: Date } | null;
  /** The token was already exchanged for a successor. */
  rotated: boolean;
  /** It was rotated no longer ago than the grace window. */
  withinGrace: boolean;
}

/**
 * Finds the token and locks its session's row for the rest of the transaction, so concurrent
 * refreshes of one session run one after the other and each sees what the previous one did.
 */
export async function lockPresentedToken(m: EntityManager, tokenHash: string, graceSeconds: number): Promise<PresentedToken | null> {
  const owner: { session_id: string }[] = await m.query(`SELECT session_id FROM refresh_tokens WHERE token_hash = $1`, [tokenHash]);
  if (!owner[0]) return null;
  const session: { user_id: string; role: Role; active: boolean; end_reason: EndReason | null; ended_at: Date | null; expires_at: Date }[] = await m.query(
    `SELECT s.user_id, u.role, (s.ended_at IS NULL AND s.expires_at > now()) AS active, s.end_reason, s.ended_at, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 FOR UPDATE OF s`,
    [owner[0].session_id],
  );
  if (!session[0]) return null;
  // Read again under the lock: a refresh that held it before us may have rotated this token.
  // clock_timestamp(), not now(): now() is when our transaction began, possibly before that rotation.
  const token: { id: string; rotated: boolean; within_grace: boolean }[] = await m.query(
    `SELECT id, rotated_at IS NOT NULL AS rotated,
            coalesce(rotated_at >= clock_timestamp() - make_interval(secs => $2), false) AS within_grace
       FROM refresh_tokens WHERE token_hash = $1`,
    [tokenHash, graceSeconds],
  );
  return {
    tokenId: token[0].id,
    sessionId: owner[0].session_id,
    userId: session[0].user_id,
    role: session[0].role,
    ending: session[0].active ? null : { reason: session[0].end_reason ?? "EXPIRED", at: session[0].ended_at ?? session[0].expires_at },
    rotated: token[0].rotated,
    withinGrace: token[0].within_grace,
  };
}

/** Spends the token; false when it was already spent (the compare-and-set lost). */
export async function markRotated(m: EntityManager, tokenId: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH spent AS (UPDATE refresh_tokens SET rotated_at = clock_timestamp() WHERE id = $1 AND rotated_at IS NULL RETURNING id)
     SELECT id FROM spent`,
    [tokenId],
  );
  return rows.length === 1;
}

/** Whether this hash is the session's live (not yet rotated) token. */
export async function isCurrentToken(m: EntityManager, sessionId: string, tokenHash: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM refresh_tokens WHERE session_id = $1 AND token_hash = $2 AND rotated_at IS NULL`,
    [sessionId, tokenHash],
  );
  return rows.length === 1;
}

export async function insertRefreshToken(m: EntityManager, sessionId: string, tokenHash: string): Promise<void> {
  await m.query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [sessionId, tokenHash]);
}
