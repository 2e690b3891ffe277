import type { MigrationInterface, QueryRunner } from "typeorm";

// The activity entry of an ending, from a session row as it was: the columns endSessions
// (src/sessions/session-store.ts) writes for the service's own endings.
const ACTIVITY_COLUMNS = "user_id, kind, at, session_id, reason, by_administrator, ip_address, device_type, browser, country, region, city, timezone";

/**
 * Rows deleted behind the service's back (psql, an operator's tool) are endings too: the
 * revocation log's trigger saw only `UPDATE OF ended_at`, so a deleted session's tokens stayed
 * accepted from memory until they expired, and a deleted user's sessions left no SESSION_ENDED
 * entries in their trail. The activity table has no foreign key (see 1765209600000-activity),
 * so those entries outlive the user's row until retention, like the sessions themselves (see
 * 1765036800000-keep-sessions-of-deleted-users). Deleting an ended session, as retention does
 * (purgeEndedBefore), ends nothing and is not logged.
 */
export class LogDeletes1765728000000 implements MigrationInterface {
  name = "LogDeletes1765728000000";

  async up(db: QueryRunner): Promise<void> {
    // RevocationReason has no value for "the row was deleted", and the contract is not ours to
    // extend: ADMIN_LOGOUT ("ended by an administrator") is the nearest, as only an operator with
    // the database's credentials can delete a row. A session already past its expiry that the
    // sweep had not yet ended is what the sweep would have called it, EXPIRED. No actor: the
    // database does not know which operator it was.
    await db.query(`
      CREATE FUNCTION log_session_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        why text := CASE WHEN OLD.expires_at > now() THEN 'ADMIN_LOGOUT' ELSE 'EXPIRED' END;
      BEGIN
        INSERT INTO revocation_log (user_id, session_id, reason, ended_at, ended_by)
        VALUES (OLD.user_id, OLD.id, why, now(), NULL);
        INSERT INTO activity (${ACTIVITY_COLUMNS})
        VALUES (OLD.user_id, 'SESSION_ENDED', now(), OLD.id, why, why = 'ADMIN_LOGOUT',
                OLD.ip_address, OLD.device_type, OLD.browser, OLD.country, OLD.region, OLD.city, OLD.timezone);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_log_deletion AFTER DELETE ON sessions
        FOR EACH ROW WHEN (OLD.ended_at IS NULL)
        EXECUTE FUNCTION log_session_deletion()`);
    // A deleted user's sessions are ended (not deleted) before the user's row goes; the ending
    // reaches the revocation log through its UPDATE trigger, and now the trail too.
    await db.query(`
      CREATE OR REPLACE FUNCTION end_sessions_of_deleted_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH ended AS (
          UPDATE sessions SET ended_at = now(), end_reason = 'ADMIN_LOGOUT'
           WHERE user_id = OLD.id AND ended_at IS NULL AND expires_at > now()
           RETURNING *)
        INSERT INTO activity (${ACTIVITY_COLUMNS})
        SELECT user_id, 'SESSION_ENDED', ended_at, id, end_reason, true,
               ip_address, device_type, browser, country, region, city, timezone
          FROM ended;
        RETURN OLD;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION end_sessions_of_deleted_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE sessions SET ended_at = now(), end_reason = 'ADMIN_LOGOUT'
         WHERE user_id = OLD.id AND ended_at IS NULL AND expires_at > now();
        RETURN OLD;
      END $$`);
    await db.query(`DROP TRIGGER sessions_log_deletion ON sessions`);
    await db.query(`DROP FUNCTION log_session_deletion()`);
  }
}
