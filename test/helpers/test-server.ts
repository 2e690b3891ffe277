import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config, type Environment } from "../../src/config";
import { silentLogger, type Logger } from "../../src/logger";
import { startServer, type RunningServer } from "../../src/server";

export interface TestServer extends RunningServer {
  config: Config;
  graphqlUrl: string;
  wsUrl: string;
  dataDir: string;
}

/** A fresh data folder per server; with DATABASE_URL (CI's PostgreSQL run) the database is shared. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "session-service-test-"));
}

/**
 * A real server on a free loopback port, configured as `npm start` would be from these
 * variables. The test's own DATABASE_URL / REDIS_URL pass through.
 */
export async function startTestServer(env: Environment = {}, dataDir = tempDataDir(), logger?: Logger): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long!",
    ...env,
  });
  const server = await startServer(config, logger ?? (process.env.TEST_LOGS ? undefined : silentLogger));
  return {
    ...server,
    config,
    dataDir,
    graphqlUrl: `http://127.0.0.1:${server.port}/graphql`,
    wsUrl: `ws://127.0.0.1:${server.port}/graphql`,
  };
}
