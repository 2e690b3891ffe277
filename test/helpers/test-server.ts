import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { startApp } from "../../src/app";
import { loadConfig, type Config, type Environment } from "../../src/config";
import { Lifecycle } from "../../src/lifecycle";
import { createLogger, silentLogger, type Logger } from "../../src/logging/logger";
import type { Services } from "../../src/services";
import { seedEmbeddedDatabase } from "./embedded-template";

export interface TestServer {
  port: number;
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

function defaultLogger(): Logger {
  return process.env.TEST_LOGS ? createLogger({ level: "debug", format: "pretty" }) : silentLogger;
}

/**
 * A real server on a free loopback port, started by the same steps as `npm start` from these
 * variables. The test's own DATABASE_URL passes through; REDIS_URL only when a test names it.
 */
export async function startTestServer(env: Environment = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  await seedEmbeddedDatabase(dataDir);
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long!",
    ...env,
  });
  const lifecycle = new Lifecycle();
  try {
    const { server, services, database } = await startApp(config, options.logger ?? defaultLogger(), migrations, lifecycle);
    return {
      port: server.port,
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
