import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The retention sweep finds old entries by time; a btree on `at` also offered the planner an
 * ordered path for a user's page (a backward scan filtering on user_id, then a sort), which it
 * took whenever one user held most of the table. A BRIN index serves the range the sweep needs,
 * is a fraction of the size on an append-mostly table, and cannot order: a page is always the
 * one scan of activity_by_user.
 */
export class ActivityTimeBrin1765296000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX activity_by_time`);
    await db.query(`CREATE INDEX activity_by_time ON activity USING brin (at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX activity_by_time`);
    await db.query(`CREATE INDEX activity_by_time ON activity (at)`);
  }
}
