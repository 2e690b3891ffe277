import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Sessions carry the signals computed when they started (NEW_DEVICE, NEW_COUNTRY), and so does
 * the activity entry of that login. Computing them reads a user's sessions of the last 90 days,
 * ended ones included: hence an index on all of a user's sessions by start time.
 */
export class SessionSignals1765382400000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sessions ADD COLUMN signals text[] NOT NULL DEFAULT '{}'
      CHECK (signals <@ ARRAY['NEW_DEVICE', 'NEW_COUNTRY'])`);
    await db.query(`ALTER TABLE activity ADD COLUMN signals text[] NOT NULL DEFAULT '{}'
      CHECK (signals <@ ARRAY['NEW_DEVICE', 'NEW_COUNTRY'])`);
    await db.query(`CREATE INDEX sessions_by_user_started ON sessions (user_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX sessions_by_user_started`);
    await db.query(`ALTER TABLE activity DROP COLUMN signals`);
    await db.query(`ALTER TABLE sessions DROP COLUMN signals`);
  }
}
