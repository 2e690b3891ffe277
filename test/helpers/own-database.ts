import { randomUUID } from "node:crypto";
import { Client } from "pg";

/** Runs one statement on this run's PostgreSQL (DATABASE_URL), on a connection of its own. */
async function onRunServer(sql: string): Promise<void> {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A database on this run's PostgreSQL (DATABASE_URL must be set), named now: `create` makes it, empty; `drop` removes it. */
export function postgresDatabase(label: string): { url: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `${label}_${randomUUID().replace(/-/g, "")}`;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: () => onRunServer(`CREATE DATABASE ${name}`),
    drop: () => onRunServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * A database of the test file's own on this run's PostgreSQL (the CI pass with DATABASE_URL),
 * created before its servers start and dropped after: for a file whose assertions cover every
 * user, which another file's work on the shared database would reach. Without DATABASE_URL the
 * jest worker's embedded database already serves one file at a time: undefined.
 */
export function useOwnPostgresDatabase(label: string): { readonly url: string } | undefined {
  if (!process.env.DATABASE_URL) return undefined;
  const database = postgresDatabase(label);
  beforeAll(() => database.create());
  afterAll(() => database.drop());
  return { url: database.url };
}
