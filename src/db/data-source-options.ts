import type { DataSourceOptions, MixedList } from "typeorm";
import { SessionEntity } from "./entities/session.entity";
import { UserEntity } from "./entities/user.entity";

export const entities = [UserEntity, SessionEntity];

/** Migration classes, handed in by whoever wires the database (src/index.ts, ormconfig.ts, tests). */
export type Migrations = MixedList<Function>;

/** The one description of our schema; the database's shape comes only from the migrations. */
export function dataSourceOptions(url: string, poolSize: number, migrations: Migrations): DataSourceOptions {
  return {
    type: "postgres",
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: ["error"],
    poolSize,
    // A dead connection must surface as an error to the request, not crash the process.
    extra: { connectionTimeoutMillis: 5000 },
  };
}
