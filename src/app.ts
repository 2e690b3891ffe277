import type { Config } from "./config";
import type { Migrations } from "./db/data-source-options";
import { startDatabase, type Database } from "./db/database";
import type { Lifecycle } from "./lifecycle";
import type { Logger } from "./logging/logger";
import { buildAppSchema } from "./schema";
import { startServer, type RunningServer } from "./server/server";
import { busKindFor, startServices, type Services } from "./services";

export interface App {
  server: RunningServer;
  services: Services;
  database: Database;
}

/**
 * The service, step by step: database -> services -> server (index.ts has checked the port
 * first). Each step is registered in `lifecycle` as it succeeds, so a failure or a shutdown
 * undoes exactly what started.
 */
export async function startApp(config: Config, logger: Logger, migrations: Migrations, lifecycle: Lifecycle, shared?: Database): Promise<App> {
  // A database handed in (tests run several servers on one) belongs to the caller, who stops it.
  const database =
    shared ??
    (await lifecycle.start(
      "database",
      () =>
        startDatabase({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          migrations,
          queryTimeoutMs: config.databaseQueryTimeoutMs,
          busOnRedis: config.redisUrl !== undefined,
        }),
      (db) => db.stop(),
    ));
  // Only this process can open an embedded database it started (its data folder is locked), so
  // no other instance can end a session behind its back; a shared one may have other instances.
  const onlyInstance = !shared && database.kind === "pglite";
  const { services } = await lifecycle.start("services", () => startServices(config, database, logger, onlyInstance), (running) => running.stop());
  const busKind = busKindFor(config, database);
  const schema = await buildAppSchema(services);
  const server = await lifecycle.start(
    "server",
    () =>
      startServer(config, {
        schema,
        sessions: services.sessions,
        connections: services.connections,
        feeds: services.feeds,
        metrics: services.metrics,
        signals: services.signals,
        checkDatabase: () => database.dataSource.query("SELECT 1"),
        databaseKind: database.kind,
        // `bus` is its state as before (connected, down; in-process with no other instance to hear); `busKind` names it.
        revocationState: () => ({
          bus: busKind === "in-process" ? "in-process" : services.revocations.busConnected() ? "connected" : "down",
          busKind,
          authCheck: services.revocations.trusted() ? "memory" : "database",
        }),
        logger,
      }),
    (running) => running.stop(),
  );
  // The signals' issuer is the public origin, known now that the port is.
  await lifecycle.start(
    "signals",
    () => services.signals.start(config.publicUrl ?? `http://localhost:${server.port}`),
    () => services.signals.stop(),
  );
  return { server, services, database };
}
