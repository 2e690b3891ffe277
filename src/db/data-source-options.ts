import type { DataSourceOptions } from "typeorm";
import { migrations } from "../../migrations";
import { RefreshTokenEntity } from "./entities/refresh-token.entity";
import { SessionEntity } from "./entities/session.entity";
import { UserEntity } from "./entities/user.entity";

export const entities = [UserEntity, SessionEntity, RefreshTokenEntity];

/** The one description of our schema; the database's shape comes only from the migrations. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
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
