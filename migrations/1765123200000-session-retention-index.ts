import { MigrationInterface, QueryRunner } from "typeorm";

/** Retention deletes ended sessions by age in batches: this finds the oldest at once. */
export class SessionRetentionIndex1765123200000 implements MigrationInterface {
  name = "SessionRetentionIndex1765123200000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX sessions_ended_at ON sessions (ended_at) WHERE ended_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX sessions_ended_at`);
  }
}
