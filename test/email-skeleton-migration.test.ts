import { migrations } from "../migrations";
import { EmailSkeleton1765555200000 } from "../migrations/1765555200000-email-skeleton";
import { insertUser } from "../src/accounts/user-store";
import { startDatabase, type DatabaseOptions } from "../src/db/database";
import { postgresDatabase } from "./helpers/own-database";
import { tempDataDir } from "./helpers/test-server";

// An upgrade onto accounts that already look alike: the migration must not fail, nor lock anyone
// out, and from then on the index refuses new look-alikes (migrations/1765555200000-email-skeleton.ts).
jest.setTimeout(120_000);

/** A database of its own, empty: a fresh embedded one, or a new database on this run's PostgreSQL. */
async function emptyDatabase(): Promise<{ options: Omit<DatabaseOptions, "migrations">; drop(): Promise<void> }> {
  const dataDir = tempDataDir();
  if (!process.env.DATABASE_URL) return { options: { dataDir }, drop: async () => undefined };
  const database = postgresDatabase("skeleton");
  await database.create();
  return { options: { dataDir, databaseUrl: database.url }, drop: database.drop };
}

describe("the email skeleton migration", () => {
  test("fills every account's skeleton; of accounts that already look alike the oldest holds it and the others keep their accounts; new look-alikes are refused", async () => {
    const empty = await emptyDatabase();
    try {
      const before = migrations.slice(0, migrations.indexOf(EmailSkeleton1765555200000));
      const old = await startDatabase({ ...empty.options, migrations: before });
      try {
        await old.dataSource.query(`
          INSERT INTO users (email, password_hash, role, created_at) VALUES
            ('ɑlice@x.test', 'hash', 'USER', now() - interval '1 day'),
            ('alice@x.test', 'hash', 'USER', now() - interval '2 days'),
            ('alıce@x.test', 'hash', 'ADMIN', now()),
            ('bob@x.test', 'hash', 'USER', now())`);
        // More than one batch of the migration.
        await old.dataSource.query(`INSERT INTO users (email, password_hash, role) SELECT 'user' || n || '@many.test', 'hash', 'USER' FROM generate_series(1, 6000) AS n`);
      } finally {
        await old.stop();
      }

      const upgraded = await startDatabase({ ...empty.options, migrations });
      try {
        const rows: { email: string; email_skeleton: string | null }[] = await upgraded.dataSource.query(`SELECT email, email_skeleton FROM users WHERE email LIKE '%@x.test' ORDER BY created_at, email`);
        expect(rows).toEqual([
          { email: "alice@x.test", email_skeleton: "alice@x.test" },
          { email: "ɑlice@x.test", email_skeleton: null },
          { email: "alıce@x.test", email_skeleton: null },
          { email: "bob@x.test", email_skeleton: "bob@x.test" },
        ]);
        const [{ missing }] = await upgraded.dataSource.query(`SELECT count(*)::int AS missing FROM users WHERE email LIKE '%@many.test' AND email_skeleton IS NULL`);
        expect(missing).toBe(0);
        expect(await insertUser(upgraded.dataSource, "aǀice@x.test", "hash", "USER")).toBeNull();
        expect(await insertUser(upgraded.dataSource, "user1@rnany.test", "hash", "USER")).toBeNull();
        expect((await insertUser(upgraded.dataSource, "carol@x.test", "hash", "USER"))?.email).toBe("carol@x.test");
      } finally {
        await upgraded.stop();
      }
    } finally {
      await empty.drop();
    }
  });
});
