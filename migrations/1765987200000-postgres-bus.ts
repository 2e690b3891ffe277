import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PostgreSQL as the bus between instances where there is no Redis: the database itself notifies
 * `session_service_news` at commit for every ending and role change (from the revocation log,
 * which every path that ends a session or changes a role writes, psql included), for every
 * session opened, and for every session refreshed or renamed. Instances LISTEN (src/realtime/postgres-session-event-bus.ts); a notification
 * is only a claim, confirmed in the database. With nobody listening, NOTIFY costs a queue entry.
 */
/**
 * Instances configured with Redis say so on their connections (`session_service.bus`, see
 * src/db/database.ts) and announce there; their commits then do not notify, since a commit that
 * notifies is serialised with every other one that does (bench: "NOTIFY's cost"). Everything
 * else, psql included, notifies.
 */
const NOT_ON_REDIS = `current_setting('session_service.bus', true) IS DISTINCT FROM 'redis'`;

export class PostgresBus1765987200000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_service_news', CASE WHEN NEW.session_id IS NULL
          THEN json_build_object('r', NEW.user_id)::text
          ELSE json_build_object('e', json_build_array(NEW.session_id, NEW.user_id))::text END);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_notify AFTER INSERT ON revocation_log
        FOR EACH ROW WHEN (${NOT_ON_REDIS}) EXECUTE FUNCTION notify_revocation()`);
    await db.query(`
      CREATE FUNCTION notify_session_started() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_service_news', json_build_object('s', json_build_array(NEW.id, NEW.user_id, NEW.created_at))::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_notify_started AFTER INSERT ON sessions
        FOR EACH ROW WHEN (${NOT_ON_REDIS}) EXECUTE FUNCTION notify_session_started()`);
    // A refresh moves the expiry, a rename the name: lists of sessions held in memory are stale.
    // Fired by the statement, changed or not, so that whoever made it always hears it back.
    await db.query(`
      CREATE FUNCTION notify_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_service_news', json_build_object('c', json_build_array(NEW.id, NEW.user_id))::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_notify_changed AFTER UPDATE OF expires_at, name ON sessions
        FOR EACH ROW WHEN (NEW.ended_at IS NULL AND ${NOT_ON_REDIS})
        EXECUTE FUNCTION notify_session_changed()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER sessions_notify_changed ON sessions`);
    await db.query(`DROP TRIGGER sessions_notify_started ON sessions`);
    await db.query(`DROP TRIGGER revocation_log_notify ON revocation_log`);
    await db.query(`DROP FUNCTION notify_session_changed(), notify_session_started(), notify_revocation()`);
  }
}
