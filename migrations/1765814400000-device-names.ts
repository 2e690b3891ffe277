import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Sessions carry the name their user gave the device, and what kind of program holds them
 * (BROWSER, APP, OTHER). Sessions older than this were all read as browsers' but for the user
 * agents nothing could be read from.
 */
export class DeviceNames1765814400000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sessions ADD COLUMN name text CHECK (char_length(name) BETWEEN 1 AND 64)`);
    await db.query(`ALTER TABLE sessions ADD COLUMN client text NOT NULL DEFAULT 'BROWSER' CHECK (client IN ('BROWSER', 'APP', 'OTHER'))`);
    await db.query(`UPDATE sessions SET client = 'OTHER' WHERE browser = 'Unknown'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sessions DROP COLUMN client`);
    await db.query(`ALTER TABLE sessions DROP COLUMN name`);
  }
}
