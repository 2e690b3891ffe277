import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The revocation log: every session ending and every role change, in the order the database
 * numbered them. Instances keep in memory what ended within an access token's lifetime and
 * catch up from here (by id) on start, after a Redis reconnect and on an interval, so a lost
 * message delays the news but never loses it. Triggers write it, so no path that ends a
 * session or changes a role (the service, the user:create command, psql) can skip it.
 */
export class RevocationLog1765468800000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE revocation_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id uuid NOT NULL,
        session_id uuid,
        reason text,
        ended_at timestamptz,
        ended_by uuid,
        role text,
        CHECK ((session_id IS NULL) = (role IS NOT NULL))
      )`);
    // Loading the last token lifetime at start and pruning both read by time.
    await db.query(`CREATE INDEX revocation_log_by_time ON revocation_log (at)`);
    await db.query(`
      CREATE FUNCTION log_session_ending() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO revocation_log (user_id, session_id, reason, ended_at, ended_by)
        VALUES (NEW.user_id, NEW.id, NEW.end_reason, NEW.ended_at, NEW.ended_by);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_log_ending AFTER UPDATE OF ended_at ON sessions
        FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
        EXECUTE FUNCTION log_session_ending()`);
    await db.query(`
      CREATE FUNCTION log_role_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO revocation_log (user_id, role) VALUES (NEW.id, NEW.role);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_log_role_change AFTER UPDATE OF role ON users
        FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
        EXECUTE FUNCTION log_role_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_log_role_change ON users`);
    await db.query(`DROP FUNCTION log_role_change()`);
    await db.query(`DROP TRIGGER sessions_log_ending ON sessions`);
    await db.query(`DROP FUNCTION log_session_ending()`);
    await db.query(`DROP TABLE revocation_log`);
  }
}
