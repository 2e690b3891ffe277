import path from "node:path";
import { DataSource } from "typeorm";
import { dataSourceOptions, type Migrations } from "./data-source-options";
import { startEmbeddedPostgres } from "./embedded-postgres";

export interface DatabaseOptions {
  /** A postgres:// URL; undefined means the embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  migrations: Migrations;
  /** On PostgreSQL, statements of the running service fail after this long (see dataSourceOptions); migrations have no limit. */
  queryTimeoutMs?: number;
  /**
   * This service's instances tell each other through Redis: its connections say so
   * (`session_service.bus`), and the database's NOTIFY triggers then stay silent for their
   * commits, which spares every ending PostgreSQL's serialised notify at commit.
   */
  busOnRedis?: boolean;
}

export interface Database {
  dataSource: DataSource;
  /** "postgres" for DATABASE_URL, "pglite" for the embedded database. */
  kind: "postgres" | "pglite";
  stop(): Promise<void>;
}

/** PostgreSQL could not be reached or refused us at start-up: an operator's mistake, in one line. */
export class DatabaseUnreachable extends Error {}

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK_KEY = 7_310_295_001;

/** Connects (starting the embedded database when no DATABASE_URL is given) and migrates. */
export async function startDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const migrator = await connect(options.databaseUrl, options.migrations);
    try {
      await migrateUnderLock(migrator);
    } finally {
      await migrator.destroy();
    }
    const dataSource = await connect(options.databaseUrl, options.migrations, options.queryTimeoutMs, options.busOnRedis);
    return { dataSource, kind: "postgres", stop: () => dataSource.destroy() };
  }
  const embedded = await startEmbeddedPostgres(path.join(options.dataDir, "pglite"));
  try {
    // No statement timeout: the embedded database runs in this process's own thread, so it cannot
    // hang while the service goes on, and its one connection could not be opened twice anyway.
    const dataSource = await new DataSource(dataSourceOptions(embedded.url, embedded.maxConnections, options.migrations)).initialize();
    await dataSource.runMigrations({ transaction: "all" });
    return {
      dataSource,
      kind: "pglite",
      async stop() {
        await dataSource.destroy();
        await embedded.stop();
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

async function connect(url: string, migrations: Migrations, queryTimeoutMs?: number, busOnRedis?: boolean): Promise<DataSource> {
  try {
    return await new DataSource(dataSourceOptions(url, 10, migrations, queryTimeoutMs, busOnRedis ? { "session_service.bus": "redis" } : undefined)).initialize();
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new DatabaseUnreachable(`cannot connect to PostgreSQL at ${addressOf(url)} (DATABASE_URL): ${reason}; check that it is running and the URL is right`);
  }
}

/** host:port/database of a connection string, without the password it may carry. */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/** Several instances may start at once against one PostgreSQL: only one migrates at a time. */
async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: "all" });
  } finally {
    await runner.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
