import type { MigrationInterface, QueryRunner } from "typeorm";
import { emailSkeleton } from "../src/accounts/email-skeleton";

const BATCH = 5000;

/**
 * Every account's UTS #39 skeleton (src/accounts/email-skeleton.ts), under a unique index: a
 * sign-up whose address looks like an existing one ("alıce@…" beside "alice@…") is refused as a
 * taken address is, by the index, so racing sign-ups cannot both win. PostgreSQL has no
 * confusables data, so the skeletons are computed here, by the service's own function.
 *
 * Accounts that already look alike must not fail the migration, nor lose their access: the
 * oldest of them holds the skeleton and the others get none (NULL, which a unique index lets
 * repeat). A unique index, rather than a plain one and a check in code, because only the index
 * holds against two sign-ups at once; a new look-alike of any of those accounts still meets the
 * oldest one's skeleton and is refused.
 */
export class EmailSkeleton1765555200000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN email_skeleton text`);
    // In batches by id, so a large table is never held in memory at once.
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const users: { id: string; email: string }[] = await db.query(`SELECT id, email FROM users WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after]);
      if (users.length === 0) break;
      await db.query(`UPDATE users SET email_skeleton = given.skeleton FROM unnest($1::uuid[], $2::text[]) AS given (id, skeleton) WHERE users.id = given.id`, [
        users.map((user) => user.id),
        users.map((user) => emailSkeleton(user.email)),
      ]);
      after = users[users.length - 1].id;
    }
    await db.query(`
      UPDATE users SET email_skeleton = NULL
      WHERE id IN (
        SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY email_skeleton ORDER BY created_at, id) AS nth FROM users) AS ranked
        WHERE nth > 1
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_skeleton ON users (email_skeleton)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX users_email_skeleton`);
    await db.query(`ALTER TABLE users DROP COLUMN email_skeleton`);
  }
}
