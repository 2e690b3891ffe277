import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Device tokens (OWASP's "device cookies", src/accounts/device-tokens.ts): proof that a device
 * has logged in to an account before, so its logins are judged by their own failures and not by
 * its network's. Only each token's SHA-256 is kept. They go with the account (unlike sessions and
 * the activity trail, they are no history, only a key) and are deleted by the sweep once expired.
 */
export class DeviceTokens1765641600000 implements MigrationInterface {
  name = "DeviceTokens1765641600000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE device_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    // The cascade from a deleted user, and the sweep of expired tokens.
    await db.query(`CREATE INDEX device_tokens_by_user ON device_tokens (user_id)`);
    await db.query(`CREATE INDEX device_tokens_by_expiry ON device_tokens (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE device_tokens`);
  }
}
