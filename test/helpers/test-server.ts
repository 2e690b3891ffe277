import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { startApp } from "../../src/app";
import { startDatabase, type Database } from "../../src/db/database";
import { loadConfig, type Config, type Environment } from "../../src/config";
import { Lifecycle } from "../../src/lifecycle";
import { createLogger, silentLogger, type Logger } from "../../src/logging/logger";
import type { Services } from "../../src/services";
import { seedEmbeddedDatabase } from "./embedded-template";
import { connectWorkerDatabase } from "./worker-database";

export interface TestServer {
  port: number;
  /** Where /metrics listens alone, when the server was started with METRICS_PORT. */
  metricsPort?: number;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  config: Config;
  dataDir: string;
  /** The wired domain, for tests that must observe server state (open sockets, rows). */
  services: Services;
  /** The server's database, for tests that set up or check rows directly. */
  db: DataSource;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  dataDir?: string;
  logger?: Logger;
}

/** A fresh data folder per server; with DATABASE_URL (CI's PostgreSQL run) the database is shared. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "session-service-test-"));
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

// Outside jest (benchmarks) there is no end of file to stop it at: each server has its own.
const underJest = typeof afterAll === "function";

// Stopped after the file's last test.
if (underJest) {
  afterAll(async () => {
    await (await fileDatabase)?.stop();
    fileDatabase = undefined;
  });
}

function defaultLogger(): Logger {
  return process.env.TEST_LOGS ? createLogger({ level: "debug", format: "pretty" }) : silentLogger;
}

/**
 * A real server on a free loopback port, started by the same steps as `npm start` from these
 * variables. The test's own DATABASE_URL passes through; REDIS_URL only when a test names it.
 */
export async function startTestServer(env: Environment = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const ownDatabase = !underJest || options.dataDir !== undefined || (env.DATABASE_URL !== undefined && env.DATABASE_URL !== process.env.DATABASE_URL);
  if (ownDatabase) await seedEmbeddedDatabase(dataDir);
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long!",
    // Every test signs up from 127.0.0.1; the sign-up limit has tests of its own that set it.
    SIGNUP_MAX_PER_IP: "1000000",
    // Likewise every socket comes from 127.0.0.1, many per second: the caps have tests of their own.
    WS_MAX_CONNECTIONS_PER_IP: "1000000",
    WS_MAX_HANDSHAKES_PER_IP: "1000000",
    ...env,
  });
  const lifecycle = new Lifecycle();
  try {
    const shared = ownDatabase ? undefined : await sharedDatabase();
    const { server, services, database } = await startApp(config, options.logger ?? defaultLogger(), migrations, lifecycle, shared);
    return {
      port: server.port,
      metricsPort: server.metricsPort,
      url: server.url,
      graphqlUrl: `http://127.0.0.1:${server.port}/graphql`,
      wsUrl: `ws://127.0.0.1:${server.port}/graphql`,
      config,
      dataDir,
      services,
      db: database.dataSource,
      stop: () => lifecycle.stop(),
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
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
