import "reflect-metadata";
import { migrations } from "../migrations";
import { startApp } from "./app";
import { loadConfig, type Config } from "./config";
import { Lifecycle, StartInterrupted } from "./lifecycle";
import { createLogger, type Logger } from "./logging/logger";
import { GRAPHQL_PATH } from "./server/server";
import { isOperatorError } from "./startup-errors";

// Past this, a stuck drain is abandoned: the process must still exit for its supervisor.
const SHUTDOWN_DEADLINE_MS = 10_000;

function fail(error: unknown, logger?: Logger): never {
  // An operator's mistake is one line saying what to do; anything else is a bug and keeps its stack.
  if (isOperatorError(error)) console.error(`cannot start: ${error.message}`);
  else if (logger) logger.fatal({ err: error }, "failed to start");
  else console.error("failed to start", error);
  process.exit(1);
}

function stopOnSignals(lifecycle: Lifecycle, logger: Logger): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    lifecycle
      .stop((step, error) => logger.error({ err: error, step }, "could not stop cleanly"))
      .then(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** config -> logger -> database -> services -> server; a signal or a failed step undoes what started. */
export async function bootstrap(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error);
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const lifecycle = new Lifecycle();
  stopOnSignals(lifecycle, logger);
  try {
    const { server, database } = await startApp(config, logger, migrations, lifecycle);
    const graphql = `${server.url}${GRAPHQL_PATH}`;
    logger.info(
      {
        graphql,
        websocket: graphql.replace(/^http/, "ws"),
        ide: `open ${graphql} in a browser`,
        database: database.kind === "postgres" ? "PostgreSQL from DATABASE_URL" : `embedded PGlite in ${config.dataDir}`,
      },
      "listening",
    );
  } catch (error) {
    // A signal stopped the start-up: that shutdown undoes what started and ends the process.
    if (error instanceof StartInterrupted) return;
    await lifecycle.stop();
    fail(error, logger);
  }
}

void bootstrap();
