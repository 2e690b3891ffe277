import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Deleting a user (by hand, or by a tool of the operator's) ends their sessions instead of
 * erasing them: the rows stay, as the history of what the account did, until retention removes
 * them; their open sockets are told (the reconcile finds the endings) and closed. Before this, the
 * foreign key's ON DELETE CASCADE removed the rows, and with them every trace that the sockets'
 * sessions had ended.
 */
export class KeepSessionsOfDeletedUsers1765036800000 implements MigrationInterface {
  name = "KeepSessionsOfDeletedUsers1765036800000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey`);
    await db.query(`
      CREATE FUNCTION end_sessions_of_deleted_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE sessions SET ended_at = now(), end_reason = 'ADMIN_LOGOUT'
         WHERE user_id = OLD.id AND ended_at IS NULL AND expires_at > now();
        RETURN OLD;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_end_sessions_on_delete BEFORE DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION end_sessions_of_deleted_user()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_end_sessions_on_delete ON users`);
    await db.query(`DROP FUNCTION end_sessions_of_deleted_user()`);
    await db.query(`DELETE FROM sessions WHERE user_id NOT IN (SELECT id FROM users)`);
    await db.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`);
  }
}
