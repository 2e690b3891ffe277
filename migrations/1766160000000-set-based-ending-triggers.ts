import type { MigrationInterface, QueryRunner } from "typeorm";

/** As in 1765987200000-postgres-bus: commits of instances on Redis do not notify. */
const NOT_ON_REDIS = `current_setting('session_service.bus', true) IS DISTINCT FROM 'redis'`;

/**
 * Endings are logged, queued for receivers and notified once per statement, not once per row.
 *
 * One adminLogoutUser of 1,000 sessions ran 3,000 PL/pgSQL calls inside its UPDATE: a revocation
 * log insert per ending (sessions_log_ending), then, for each of those inserts, the outbox's
 * queueing (revocation_log_signal) and the bus's NOTIFY check (revocation_log_notify). The
 * statement took 64–73 ms where the same UPDATE without triggers took 11 ms, and every device it
 * ended waited for that commit. Transition tables let each trigger run once, on the rows the
 * statement changed (bench: `npm run bench:fan-out`).
 *
 * What the rows say is unchanged: the same log rows, outbox rows and notifications, in the
 * order of the revocation log's ids. An UPDATE trigger with transition tables cannot name its
 * columns, so sessions_log_ending now runs for every UPDATE of sessions (a refresh, a rename) and
 * finds no ending in them; that costs each such statement one join of its own rows.
 */
export class SetBasedEndingTriggers1766160000000 implements MigrationInterface {
  name = "SetBasedEndingTriggers1766160000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER sessions_log_ending ON sessions`);
    await db.query(`
      CREATE OR REPLACE FUNCTION log_session_ending() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Most updates of sessions end none (refreshes, last-active writes, renames).
        IF NOT EXISTS (SELECT 1 FROM updated WHERE ended_at IS NOT NULL) THEN
          RETURN NULL;
        END IF;
        INSERT INTO revocation_log (user_id, session_id, reason, ended_at, ended_by)
        SELECT n.user_id, n.id, n.end_reason, n.ended_at, n.ended_by
          FROM updated n JOIN before_update o ON o.id = n.id
         WHERE o.ended_at IS NULL AND n.ended_at IS NOT NULL;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_log_ending AFTER UPDATE ON sessions
        REFERENCING OLD TABLE AS before_update NEW TABLE AS updated
        FOR EACH STATEMENT EXECUTE FUNCTION log_session_ending()`);

    // The outbox rows of endings, from every log row of the statement at once; the streams are
    // locked as signal_enqueue locks them (1766073600000-signal-enqueue-locks).
    await db.query(`DROP TRIGGER revocation_log_signal ON revocation_log`);
    await db.query(`
      CREATE OR REPLACE FUNCTION signal_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO signal_outbox (stream_id, txn, event_type, user_id, session_id, facts)
        SELECT s.id, signal_txn(), 'session-revoked', l.user_id, l.session_id,
               jsonb_build_object('reason', l.reason, 'endedAt', l.ended_at, 'endedBy', l.ended_by)
          FROM logged l CROSS JOIN signal_streams s
         WHERE l.session_id IS NOT NULL
           AND s.status <> 'disabled' AND 'session-revoked' = ANY (s.events_delivered)
           AND NOT EXISTS (SELECT 1 FROM signal_stream_exclusions x WHERE x.stream_id = s.id AND x.user_id = l.user_id)
         ORDER BY l.id, s.id
           FOR KEY SHARE OF s;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_signal AFTER INSERT ON revocation_log
        REFERENCING NEW TABLE AS logged
        FOR EACH STATEMENT EXECUTE FUNCTION signal_session_revoked()`);

    await db.query(`DROP TRIGGER revocation_log_notify ON revocation_log`);
    await db.query(`
      CREATE OR REPLACE FUNCTION notify_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_service_news', CASE WHEN l.session_id IS NULL
          THEN json_build_object('r', l.user_id)::text
          ELSE json_build_object('e', json_build_array(l.session_id, l.user_id))::text END)
          FROM logged l ORDER BY l.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_notify AFTER INSERT ON revocation_log
        REFERENCING NEW TABLE AS logged
        FOR EACH STATEMENT WHEN (${NOT_ON_REDIS}) EXECUTE FUNCTION notify_revocation()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER revocation_log_notify ON revocation_log`);
    await db.query(`
      CREATE OR REPLACE FUNCTION notify_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_service_news', CASE WHEN NEW.session_id IS NULL
          THEN json_build_object('r', NEW.user_id)::text
          ELSE json_build_object('e', json_build_array(NEW.session_id, NEW.user_id))::text END);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_notify AFTER INSERT ON revocation_log
        FOR EACH ROW WHEN (${NOT_ON_REDIS}) EXECUTE FUNCTION notify_revocation()`);

    await db.query(`DROP TRIGGER revocation_log_signal ON revocation_log`);
    await db.query(`
      CREATE OR REPLACE FUNCTION signal_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM signal_enqueue('session-revoked', NEW.user_id, NEW.session_id,
          jsonb_build_object('reason', NEW.reason, 'endedAt', NEW.ended_at, 'endedBy', NEW.ended_by));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_signal AFTER INSERT ON revocation_log
        FOR EACH ROW WHEN (NEW.session_id IS NOT NULL)
        EXECUTE FUNCTION signal_session_revoked()`);

    await db.query(`DROP TRIGGER sessions_log_ending ON sessions`);
    await db.query(`
      CREATE OR REPLACE FUNCTION log_session_ending() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO revocation_log (user_id, session_id, reason, ended_at, ended_by)
        VALUES (NEW.user_id, NEW.id, NEW.end_reason, NEW.ended_at, NEW.ended_by);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_log_ending AFTER UPDATE OF ended_at ON sessions
        FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
        EXECUTE FUNCTION log_session_ending()`);
  }
}
