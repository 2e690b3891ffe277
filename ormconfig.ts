import "reflect-metadata";
import { DataSource } from "typeorm";
import { migrations } from "./migrations";
import { loadConfig } from "./src/config";
import { dataSourceOptions } from "./src/db/data-source-options";

/**
 * The DataSource the TypeORM CLI uses (`npm run build && npx typeorm -d dist/ormconfig.js migration:show`).
 * The CLI needs a server to talk to, so it reads DATABASE_URL; the service itself also
 * runs these migrations on start-up, embedded database included.
 */
const config = loadConfig();
export default new DataSource(dataSourceOptions(config.databaseUrl ?? "postgres://postgres@127.0.0.1:5432/postgres", 2, migrations));
