import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * users.auth_epoch moves whenever the logins of an account in flight must no longer open a
 * session: a password change or reset, an administrator's logout. A login notes it when it
 * reads the account and opens its session only if it is unchanged (docs/api.md: a password change
 * ends, or refuses, any session whose login verified the old password, even one that raced it).
 */
export class AuthEpoch1764950400000 implements MigrationInterface {
  name = "AuthEpoch1764950400000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN auth_epoch integer NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN auth_epoch`);
  }
}
