import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { DataDirInUseError } from "./db/data-dir-lock";
import { consoleLogger } from "./logger";
import { GRAPHQL_PATH, startServer } from "./server";

// Past this, a stuck drain is abandoned: the process must still exit for its supervisor.
const SHUTDOWN_DEADLINE_MS = 10_000;

export async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config, consoleLogger);
  consoleLogger.info(`GraphQL endpoint: ${server.url}${GRAPHQL_PATH} (WebSocket: ws${server.url.slice(4)}${GRAPHQL_PATH})`);
  consoleLogger.info(`Admin IDE: open ${server.url}${GRAPHQL_PATH} in a browser`);
  consoleLogger.info(`Database: ${config.databaseUrl ? "PostgreSQL from DATABASE_URL" : `embedded PGlite in ${config.dataDir}`}`);

  const shutdown = (signal: string) => {
    consoleLogger.info(`${signal}: shutting down`);
    setTimeout(() => {
      consoleLogger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error) => {
        consoleLogger.error("shutdown failed", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

bootstrap().catch((error) => {
  const known = error instanceof ConfigError || error instanceof DataDirInUseError;
  consoleLogger.error(known ? `cannot start: ${error.message}` : "failed to start", known ? undefined : error);
  process.exit(1);
});
