import type { DataSource } from "typeorm";

/**
 * Moves a server's clock-dependent rows into the past instead of waiting for time to pass.
 * Every check in the service compares against the database's now(), so this is exactly what
 * waiting would do.
 */
export async function backdate(
  db: DataSource,
  sessionId: string,
  what: { lastActiveSeconds?: number; expiresInSeconds?: number; rotatedSecondsAgo?: number },
): Promise<void> {
  if (what.lastActiveSeconds !== undefined) {
    await db.query(`UPDATE sessions SET last_active_at = now() - make_interval(secs => $2) WHERE id = $1`, [sessionId, what.lastActiveSeconds]);
  }
  if (what.expiresInSeconds !== undefined) {
    await db.query(`UPDATE sessions SET expires_at = now() + make_interval(secs => $2) WHERE id = $1`, [sessionId, what.expiresInSeconds]);
  }
  if (what.rotatedSecondsAgo !== undefined) {
    await db.query(
      `UPDATE refresh_tokens SET rotated_at = now() - make_interval(secs => $2) WHERE session_id = $1 AND rotated_at IS NOT NULL`,
      [sessionId, what.rotatedSecondsAgo],
    );
  }
}
