import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres";
import { tempDataDir } from "./helpers/test-server";

// The embedded database holds emails and password hashes (its write-ahead log too): docs/security.md.
jest.setTimeout(60_000);

/**
 * Adds every file and folder under `dir` that is not 0600 / 0700, as "path mode"; while files are
 * being made (`exact` false), only those that anyone but this user could read or write.
 */
function collectLoose(dir: string, loose: Set<string>, exact = true): void {
  const visit = (entry: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(entry);
    } catch {
      return; // Removed while we looked (a temporary file of the database).
    }
    if (stat.isSymbolicLink() || stat.isSocket()) return;
    const mode = stat.mode & 0o777;
    if (exact ? mode !== (stat.isDirectory() ? 0o700 : 0o600) : (mode & 0o077) !== 0) loose.add(`${path.relative(dir, entry)} ${mode.toString(8)}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(dir);
}

describe("the embedded database's first start", () => {
  // The PostgreSQL pass has nothing of its own to add here.
  (process.env.DATABASE_URL ? test.skip : test)("every file of a new database is private from the first moment, and so is every file it makes later", async () => {
    const dataDir = tempDataDir();
    const loose = new Set<string>();
    // Looked at all along, in this thread, while PGlite creates the database in its own.
    // (A file is made 0700 and then set to 0600: private throughout.)
    const watching = setInterval(() => collectLoose(dataDir, loose, false), 1);
    try {
      const embedded = await startEmbeddedPostgres(path.join(dataDir, "pglite"));
      try {
        collectLoose(dataDir, loose);
        // New relations and write-ahead log, made while it runs.
        const client = new Client({ connectionString: embedded.url });
        await client.connect();
        await client.query("CREATE TABLE secrets AS SELECT g, md5(g::text) AS hash FROM generate_series(1, 20000) AS g");
        await client.query("CHECKPOINT");
        await client.end();
        collectLoose(dataDir, loose);
        expect(fs.readdirSync(path.join(dataDir, "pglite")).length).toBeGreaterThan(10);
      } finally {
        await embedded.stop();
      }
    } finally {
      clearInterval(watching);
    }
    collectLoose(dataDir, loose);
    expect([...loose]).toEqual([]);
  });
});
