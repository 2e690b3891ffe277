import { Client } from "pg";
import type { DataSourceOptions, MixedList } from "typeorm";
import { SessionEntity } from "./entities/session.entity";
import { UserEntity } from "./entities/user.entity";

export const entities = [UserEntity, SessionEntity];

/** Migration classes, handed in by whoever wires the database (src/index.ts, ormconfig.ts, tests). */
export type Migrations = MixedList<Function>;

/**
 * pg's client, never without an 'error' listener. A connection that dies while checked out
 * reports it to TypeORM's listener, which then lets go of the client; when the client emits
 * again (the FATAL message, then the socket's end), nobody listens and Node would end the
 * process. The failure has already reached the query that was running.
 */
class ListenedClient extends Client {
  constructor(...args: ConstructorParameters<typeof Client>) {
    super(...args);
    this.on("error", () => undefined);
  }
}

/**
 * The one description of our schema; the database's shape comes only from the migrations.
 * `queryTimeoutMs`: a statement not answered by then fails (retryably, see connection-failure.ts)
 * instead of holding its request while a PostgreSQL that hangs (not refuses) stays silent;
 * unset for migrations, which may rightly take long.
 */
export function dataSourceOptions(
  url: string,
  poolSize: number,
  migrations: Migrations,
  queryTimeoutMs?: number,
  /** Settings every connection starts with (PostgreSQL's `options`), e.g. session_service.bus. */
  settings?: Record<string, string>,
): DataSourceOptions {
  return {
    type: "postgres",
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    // Failures reach our own handlers and pino; TypeORM's console lines would carry SQL and its parameters.
    logging: false,
    poolSize,
    // A dead connection must surface as an error to the request, not crash the process.
    extra: {
      connectionTimeoutMillis: 5000,
      Client: ListenedClient,
      ...(queryTimeoutMs !== undefined && { query_timeout: queryTimeoutMs }),
      ...(settings && { options: Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(" ") }),
    },
  };
}
