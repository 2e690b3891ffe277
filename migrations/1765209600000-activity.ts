import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The account activity trail users review after a suspicious session (myActivity), and
 * administrators for anyone (userActivity). Written in the same transaction as each act; read
 * newest first, a page at a time, by (user, time, id): one index scan per page however long
 * the history. No foreign key: the trail outlives a deleted account until retention.
 */
export class Activity1765209600000 implements MigrationInterface {
  name = "Activity1765209600000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE activity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SIGNED_UP', 'LOGGED_IN', 'LOGIN_FAILED', 'LOGIN_RATE_LIMITED',
          'REFRESH_TOKEN_REUSED', 'SESSION_ENDED', 'PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILED', 'ROLE_CHANGED')),
        at timestamptz NOT NULL DEFAULT now(),
        session_id uuid,
        reason text CHECK (reason IN ('LOGOUT', 'TERMINATED', 'TERMINATED_OTHERS', 'PASSWORD_CHANGED',
          'ADMIN_LOGOUT', 'REFRESH_TOKEN_REUSE', 'EXPIRED')),
        by_administrator boolean NOT NULL DEFAULT false,
        actor_id uuid,
        ip_address text,
        device_type text,
        browser text,
        country text,
        region text,
        city text,
        timezone text
      )`);
    await db.query(`CREATE INDEX activity_by_user ON activity (user_id, at DESC, id DESC)`);
    await db.query(`CREATE INDEX activity_by_time ON activity (at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE activity`);
  }
}
