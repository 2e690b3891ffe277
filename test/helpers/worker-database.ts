import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { dataSourceOptions } from "../../src/db/data-source-options";
import type { Database } from "../../src/db/database";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres";
import { runDirectory, seedEmbeddedDatabase } from "./embedded-template";

/**
 * One embedded PostgreSQL per jest worker process, kept for every test file that worker runs:
 * opening PGlite costs most of a test server's start. Jest gives each file a fresh module
 * registry and a fresh process.env, so the worker finds its database again through a file in
 * this run's folder; the database lives as long as the worker. Each test file connects once and
 * disconnects after its last test (the embedded server takes one connection at a time).
 */
async function workerDatabaseUrl(): Promise<string> {
  const addressFile = path.join(runDirectory(), `worker-${process.env.JEST_WORKER_ID ?? "1"}-${process.pid}.url`);
  if (fs.existsSync(addressFile)) return fs.readFileSync(addressFile, "utf8");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "session-service-worker-"));
  await seedEmbeddedDatabase(dataDir);
  const embedded = await startEmbeddedPostgres(path.join(dataDir, "pglite"));
  fs.writeFileSync(addressFile, embedded.url);
  return embedded.url;
}

/** This test file's connection to its worker's embedded database (already migrated: it is a copy of the template). */
export async function connectWorkerDatabase(): Promise<Database> {
  const dataSource = await new DataSource(dataSourceOptions(await workerDatabaseUrl(), 1, migrations)).initialize();
  return { dataSource, kind: "pglite", stop: () => dataSource.destroy() };
}
