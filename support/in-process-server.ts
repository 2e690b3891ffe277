import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { migrations } from "../migrations";
import { startApp } from "../src/app";
import { loadConfig, type Config, type Environment } from "../src/config";
import type { Database } from "../src/db/database";
import { Lifecycle } from "../src/lifecycle";
import { silentLogger, type Logger } from "../src/logging/logger";
import type { Services } from "../src/services";

// What the tests and the benchmarks share to run the service (this folder): the service in this
// process (here), the built service as a process of its own (service-process.ts), and Chromium
// (chromium.ts). Nothing here knows of jest.

/** The service running in this process, and what a caller may observe of it. */
export interface InProcessServer {
  port: number;
  /** Where /metrics listens alone, when the server was started with METRICS_PORT. */
  metricsPort?: number;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  config: Config;
  dataDir: string;
  /** The wired domain, for callers that must observe server state (open sockets, rows). */
  services: Services;
  /** The server's database, for callers that set up or check rows directly. */
  db: DataSource;
  stop(): Promise<void>;
}

export interface InProcessServerOptions {
  /** The data folder (signing keys, the embedded database); a fresh one by default. */
  dataDir?: string;
  /** Silent by default. */
  logger?: Logger;
  /**
   * A database already open, to run on instead of the one the variables name. It stays the
   * caller's: `stop` leaves it open (several servers may share one).
   */
  database?: Database;
}

/** A fresh, empty data folder. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "session-service-test-"));
}

/**
 * A real server on a free loopback port, started by the same steps as `npm start` from these
 * variables. This process's DATABASE_URL passes through (without it the server opens the
 * embedded database in its data folder); REDIS_URL only when the caller names it. Every client
 * of a test or a benchmark comes from 127.0.0.1, so the limits per address are lifted unless named.
 */
export async function startInProcessServer(env: Environment = {}, options: InProcessServerOptions = {}): Promise<InProcessServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long!",
    // The sign-up limit and the socket caps have tests of their own that set them.
    SIGNUP_MAX_PER_IP: "1000000",
    WS_MAX_CONNECTIONS_PER_IP: "1000000",
    WS_MAX_HANDSHAKES_PER_IP: "1000000",
    ...env,
  });
  const lifecycle = new Lifecycle();
  try {
    const { server, services, database } = await startApp(config, options.logger ?? silentLogger, migrations, lifecycle, options.database);
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
