import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1764259200000 implements MigrationInterface {
  name = "InitialSchema1764259200000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('USER', 'ADMIN')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_agent text NOT NULL,
        device_type text NOT NULL,
        os text,
        browser text NOT NULL,
        browser_version text,
        ip_address text NOT NULL,
        country text,
        region text,
        city text,
        timezone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_active_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('LOGOUT', 'TERMINATED', 'TERMINATED_OTHERS',
          'PASSWORD_CHANGED', 'ADMIN_LOGOUT', 'REFRESH_TOKEN_REUSE', 'EXPIRED')),
        ended_by uuid,
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    // Listing and bulk revocation only ever look at a user's open sessions; the sweeper only at expiry.
    await db.query(`CREATE INDEX sessions_open_by_user ON sessions (user_id, last_active_at DESC) WHERE ended_at IS NULL`);
    await db.query(`CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE ended_at IS NULL`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await db.query(`CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE users`);
  }
}
