import { randomUUID } from "node:crypto";
import { Client } from "pg";

/**
 * A database of the test file's own on this run's PostgreSQL (the CI pass with DATABASE_URL),
 * created before its servers start and dropped after: for a file whose assertions cover every
 * user, which another file's work on the shared database would reach. Without DATABASE_URL the
 * jest worker's embedded database already serves one file at a time: undefined.
 */
export function useOwnPostgresDatabase(label: string): { readonly url: string } | undefined {
  const shared = process.env.DATABASE_URL;
  if (!shared) return undefined;
  const name = `${label}_${randomUUID().replace(/-/g, "")}`;
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const admin = () => new Client({ connectionString: shared });
  beforeAll(async () => {
    const client = admin();
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    const client = admin();
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  return { url: url.toString() };
}
