import { migrations } from "../../migrations";
import type { Environment } from "../../src/config";
import { startDatabase, type Database } from "../../src/db/database";
import { createLogger, silentLogger, type Logger } from "../../src/logging/logger";
import { startInProcessServer, tempDataDir, type InProcessServer } from "../../support/in-process-server";
import { seedEmbeddedDatabase } from "./embedded-template";
import { connectWorkerDatabase } from "./worker-database";

export { tempDataDir } from "../../support/in-process-server";

/** A server started here (support/in-process-server.ts), on the test file's database unless it names its own. */
export type TestServer = InProcessServer;

export interface TestServerOptions {
  dataDir?: string;
  logger?: Logger;
}

/** A server running elsewhere (its own process, behind a balancer), as the helpers address it: by its base URL. */
export function serverAt(baseUrl: string): TestServer {
  return { url: baseUrl, graphqlUrl: `${baseUrl}/graphql`, wsUrl: `${baseUrl.replace("http", "ws")}/graphql` } as TestServer;
}

/** A data folder that already holds a migrated embedded database (see embedded-template.ts). */
export async function seededDataDir(): Promise<string> {
  const dataDir = tempDataDir();
  await seedEmbeddedDatabase(dataDir);
  return dataDir;
}

/**
 * One database connection per test file, shared by the file's servers (jest gives each file its
 * own copy of this module): to the run's PostgreSQL, or to the jest worker's embedded database
 * (worker-database.ts). Not used for a server that names its own data folder or database
 * (restarts, outages), which starts its own as `npm start` would.
 */
let fileDatabase: Promise<Database> | undefined;

function sharedDatabase(): Promise<Database> {
  fileDatabase ??= process.env.DATABASE_URL
    ? startDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: tempDataDir(), migrations })
    : connectWorkerDatabase();
  return fileDatabase;
}

// Stopped after the file's last test.
afterAll(async () => {
  await (await fileDatabase)?.stop();
  fileDatabase = undefined;
});

function defaultLogger(): Logger {
  return process.env.TEST_LOGS ? createLogger({ level: "debug", format: "pretty" }) : silentLogger;
}

/**
 * A real server on a free loopback port, started by the same steps as `npm start` from these
 * variables. The test's own DATABASE_URL passes through; REDIS_URL only when a test names it.
 */
export async function startTestServer(env: Environment = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const ownDatabase = options.dataDir !== undefined || (env.DATABASE_URL !== undefined && env.DATABASE_URL !== process.env.DATABASE_URL);
  if (ownDatabase) await seedEmbeddedDatabase(dataDir);
  const database = ownDatabase ? undefined : await sharedDatabase();
  return startInProcessServer(env, { dataDir, logger: options.logger ?? defaultLogger(), database });
}

/**
 * A server for the enclosing describe block: started before its tests, stopped after them.
 * The returned handle reads through to the running server, so it can be declared up front.
 */
export function useTestServer(env: Environment = {}, options: TestServerOptions = {}): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(env, options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!server) throw new Error("the test server is not running here: use it inside a test or a hook");
      return server[key as keyof TestServer];
    },
  });
}
