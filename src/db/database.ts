import path from "node:path";
import { DataSource } from "typeorm";
import type { Config } from "../config";
import { dataSourceOptions } from "./data-source-options";
import { startEmbeddedPostgres } from "./embedded-postgres";

export interface Database {
  dataSource: DataSource;
  /** "postgres" for DATABASE_URL, "pglite" for the embedded database. */
  kind: "postgres" | "pglite";
  stop(): Promise<void>;
}

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK_KEY = 7_310_295_001;

/** Connects (starting the embedded database when no DATABASE_URL is given) and migrates. */
export async function startDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl, 10)).initialize();
    await migrateUnderLock(dataSource);
    return { dataSource, kind: "postgres", stop: () => dataSource.destroy() };
  }
  const embedded = await startEmbeddedPostgres(path.join(config.dataDir, "pglite"));
  const dataSource = await new DataSource(dataSourceOptions(embedded.url, embedded.maxConnections)).initialize();
  await dataSource.runMigrations({ transaction: "all" });
  return {
    dataSource,
    kind: "pglite",
    async stop() {
      await dataSource.destroy();
      await embedded.stop();
    },
  };
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
