import fs from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  /** A connection string for `pg`, served on a loopback port chosen by the OS. */
  url: string;
  /** How many `pg` connections the socket server multiplexes onto the single PGlite backend. */
  maxConnections: number;
  stop(): Promise<void>;
}

const MAX_CONNECTIONS = 8;

/**
 * PGlite (PostgreSQL compiled to WASM) behind the PostgreSQL wire protocol, so the service
 * talks to it through `pg` exactly as it talks to a real server. The socket server keeps a
 * transaction's statements together, so pooled connections behave like real ones.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  await fs.mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: MAX_CONNECTIONS });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    maxConnections: MAX_CONNECTIONS,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
