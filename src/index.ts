import "reflect-metadata";
import { ConfigError, loadConfig, type Config } from "./config";
import { Lifecycle, StartInterrupted } from "./lifecycle";
import { createLogger, type Logger } from "./logging/logger";
import { assertPortFree, PortInUse } from "./server/port-check";

// Past this, a stuck drain is abandoned: the process must still exit for its supervisor.
const SHUTDOWN_DEADLINE_MS = 10_000;

/** An operator's mistake is one line saying what to do; anything else is a bug and keeps its stack. */
function fail(error: unknown, isOperatorError: (error: unknown) => error is Error, logger?: Logger): never {
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
    await assertPortFree(config.port, config.host);
  } catch (error) {
    fail(error, (e): e is Error => e instanceof ConfigError || e instanceof PortInUse);
  }
  // Required only once the configuration and the port are known to be good: loading Apollo,
  // TypeORM and the rest takes most of a second, and those mistakes are reported without it.
  const { startApp } = require("./app") as typeof import("./app");
  const { migrations } = require("../migrations") as typeof import("../migrations");
  const { isOperatorError } = require("./startup-errors") as typeof import("./startup-errors");
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const lifecycle = new Lifecycle();
  stopOnSignals(lifecycle, logger);
  try {
    const { server, database } = await startApp(config, logger, migrations, lifecycle);
    const graphql = server.graphqlUrl;
    logger.info(
      {
        graphql,
        websocket: graphql.replace(/^http/, "ws"),
        ide: `open ${graphql} in a browser`,
        sessionsPage: `${server.url}/`,
        database: database.kind === "postgres" ? "PostgreSQL from DATABASE_URL" : `embedded PGlite in ${config.dataDir}`,
      },
      "listening",
    );
  } catch (error) {
    // A signal stopped the start-up: that shutdown undoes what started and ends the process.
    if (error instanceof StartInterrupted) return;
    await lifecycle.stop();
    fail(error, isOperatorError, logger);
  }
}

void bootstrap();
