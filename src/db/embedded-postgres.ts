import fs from "node:fs/promises";
import { Worker } from "node:worker_threads";
import path from "node:path";
import { lockDataDir } from "./data-dir-lock";
import { makePrivate } from "./private-files";

export interface EmbeddedPostgres {
  /** A connection string for `pg`, served on a loopback port chosen by the OS. */
  url: string;
  /** How many `pg` connections it accepts at once. */
  maxConnections: number;
  stop(): Promise<void>;
}

// One connection. pglite-socket can multiplex several, but it interleaves them message by
// message: a Parse from one client and a Bind from another meet in PGlite's single backend,
// and a query answers with another's rows (seen here under concurrent refreshes). PGlite runs
// one statement at a time anyway, so a single connection costs no throughput.
const MAX_CONNECTIONS = 1;

// Plain CommonJS run in its own thread: PGlite executes queries as synchronous WASM, which on
// the main thread would stall every request and socket while a query runs.
//
// PGlite's file layer (emscripten's NODEFS) creates each file and then chmods it to the mode it
// keeps in memory, 0666 for most, past the umask: on a first start every file of a new database
// would be world-readable until the next start made it private. This thread's fs is PGlite's
// alone, so its chmods are held to this user here, before PGlite is loaded.
const WORKER_SOURCE = `
const fs = require("node:fs");
for (const name of ["chmodSync", "fchmodSync"]) {
  const chmod = fs[name];
  fs[name] = (target, mode) => chmod(target, typeof mode === "number" ? mode & ~0o077 : mode);
}
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.socket);
(async () => {
  const db = await PGlite.create({ dataDir: workerData.dataDir });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: workerData.maxConnections });
  await server.start();
  parentPort.on("message", async (message) => {
    if (message !== "stop") return;
    await server.stop();
    await db.close();
    parentPort.postMessage({ type: "stopped" });
  });
  parentPort.postMessage({ type: "ready", address: server.getServerConn() });
})().catch((error) => parentPort.postMessage({ type: "failed", error: String((error && error.stack) || error) }));
`;

type WorkerMessage = { type: "ready"; address: string } | { type: "stopped" } | { type: "failed"; error: string };

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`embedded database thread exited with code ${code}`));
    worker.once("exit", onExit);
    worker.once("error", reject);
    worker.once("message", (message: WorkerMessage) => {
      worker.off("exit", onExit);
      worker.off("error", reject);
      resolve(message);
    });
  });
}

/**
 * PGlite (PostgreSQL compiled to WASM) behind the PostgreSQL wire protocol, in a worker thread,
 * so the service talks to it through `pg` exactly as it talks to a real server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  // PGlite writes its files from its own thread for as long as it runs, and a umask is per
  // process: from here on, what this process creates is private. Files made earlier under
  // another umask are made private too; DATA_DIR itself is closed, its other contents left alone.
  process.umask(0o077);
  await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o700 });
  await fs.chmod(path.dirname(dataDir), 0o700);
  makePrivate(dataDir);
  const unlock = await lockDataDir(`${dataDir}.lock`);
  try {
    return await startWorker(dataDir, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function startWorker(dataDir: string, unlock: () => Promise<void>): Promise<EmbeddedPostgres> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dataDir,
      maxConnections: MAX_CONNECTIONS,
      pglite: require.resolve("@electric-sql/pglite"),
      socket: require.resolve("@electric-sql/pglite-socket"),
    },
  });
  const started = await nextMessage(worker);
  if (started.type !== "ready") {
    await worker.terminate();
    throw new Error(`embedded database failed to start: ${started.type === "failed" ? started.error : started.type}`);
  }
  // From here the connections to it keep the process alive, not the thread itself: a process
  // whose last connection has closed may end without waiting for stop().
  worker.unref();
  return {
    url: `postgres://postgres@${started.address}/postgres`,
    maxConnections: MAX_CONNECTIONS,
    async stop() {
      const stopped = nextMessage(worker);
      worker.postMessage("stop");
      await stopped;
      await worker.terminate();
      await unlock();
    },
  };
}
