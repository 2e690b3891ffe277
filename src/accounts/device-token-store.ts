import type { Queryable } from "../db/queryable";

/** The id of the unexpired device token with this hash, when it is the account's of this email; null otherwise. */
export async function findDeviceToken(q: Queryable, tokenHash: string, email: string): Promise<string | null> {
  const rows: { id: string }[] = await q.query(
    `SELECT d.id FROM device_tokens d JOIN users u ON u.id = d.user_id
      WHERE d.token_hash = $1 AND u.email = $2 AND d.expires_at > now()`,
    [tokenHash, email],
  );
  return rows[0]?.id ?? null;
}

/**
 * Keeps the token with this hash for the user until `lifetimeDays` from now: inserted, or its
 * expiry moved on (only once it has aged a day, so a device that refreshes hourly does not rewrite
 * its row each time).
 */
export async function keepDeviceToken(q: Queryable, userId: string, tokenHash: string, lifetimeDays: number): Promise<void> {
  await q.query(
    `INSERT INTO device_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))
     ON CONFLICT (token_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at
      WHERE device_tokens.expires_at < EXCLUDED.expires_at - interval '1 day'`,
    [userId, tokenHash, lifetimeDays],
  );
}

/** Removes a token the device has been given a successor for. */
export async function deleteDeviceToken(q: Queryable, id: string): Promise<void> {
  await q.query(`DELETE FROM device_tokens WHERE id = $1`, [id]);
}

/** Deletes up to `batch` expired tokens; how many it deleted. */
export async function purgeExpiredDeviceTokens(q: Queryable, batch: number): Promise<number> {
  // A SELECT around the DELETE, so every driver answers with the rows (TypeORM gives [rows, count] for a bare DELETE).
  const rows: unknown[] = await q.query(
    `WITH gone AS (
       DELETE FROM device_tokens WHERE id IN (SELECT id FROM device_tokens WHERE expires_at <= now() LIMIT $1)
       RETURNING id)
     SELECT id FROM gone`,
    [batch],
  );
  return rows.length;
}
