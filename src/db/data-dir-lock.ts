import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";

export class DataDirInUseError extends Error {}

// sun_path holds 108 bytes; longer paths get a Linux abstract socket named after them instead.
const MAX_SOCKET_PATH = 100;

/** Answers with the holder's process id: what the refusal tells the operator to stop. */
function holderOf(address: string): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(Number.parseInt(answer, 10) || 0));
    // Nobody listening (a process that died left its socket file), or not a socket at all.
    socket.on("error", () => resolve(null));
  });
}

function listen(server: net.Server, address: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(address, () => resolve(null));
  });
}

/**
 * One process at a time per embedded database: PGlite has no locking of its own, and two
 * writers on one folder corrupt it. The lock is a listening Unix socket, so the operating system
 * releases it when the process dies, however it dies: no process id to be reused by another
 * process (in a container, the new service itself), nothing stale to clean up by hand.
 */
export async function lockDataDir(lockFile: string): Promise<() => Promise<void>> {
  const address = lockFile.length <= MAX_SOCKET_PATH || process.platform !== "linux"
    ? lockFile
    : `\0session-service-lock-${createHash("sha256").update(lockFile).digest("hex")}`;
  const database = lockFile.replace(/\.lock$/, "");
  for (let attempt = 0; ; attempt++) {
    const server = net.createServer((socket) => socket.end(String(process.pid)));
    const failed = await listen(server, address);
    if (!failed) {
      // The lock must not keep the process alive by itself.
      server.unref();
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (failed.code !== "EADDRINUSE" || attempt > 0) throw failed;
    const holder = await holderOf(address);
    if (holder !== null) {
      throw new DataDirInUseError(`the embedded database ${database} is in use by process ${holder}; stop it, or set DATABASE_URL`);
    }
    // Left by a process that is gone (or an older version's lock file): nobody holds it.
    if (!address.startsWith("\0")) fs.rmSync(address, { force: true });
  }
}
