import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../support/service-process";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the test's own, on a spare port, that it may stop, restart and kill:
 * the shared one on 5432 is never touched. PostgreSQL refuses to run as root, so under root
 * (CI's container) its commands run as the `postgres` user.
 */
// initdb and the first start take a few seconds alone, and far longer on a loaded machine.
export const CLUSTER_START_TIMEOUT_MS = 180_000;

export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "private-postgres-"));
    if (process.getuid?.() === 0) await run("chown", ["postgres:postgres", dir]);
    const cluster = new PrivatePostgres(dir, await freePort());
    await cluster.as(["initdb", "-D", path.join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    await cluster.startServer();
    return cluster;
  }

  /** Starts the server and waits until it accepts connections. */
  async startServer(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.as(["pg_ctl", "-D", path.join(this.dir, "data"), "-l", path.join(this.dir, "log"), "-o", options, "-w", "start"]);
  }

  /** Stops the server: `fast` ends every session at once, as a restart by an operator does. */
  async stopServer(): Promise<void> {
    await this.as(["pg_ctl", "-D", path.join(this.dir, "data"), "-m", "fast", "-w", "stop"]);
  }

  /** Stops the server (if running) and deletes the cluster. */
  async destroy(): Promise<void> {
    await this.as(["pg_ctl", "-D", path.join(this.dir, "data"), "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async as(command: string[]): Promise<void> {
    const [file, ...args] = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...command] : command;
    await run(file, args, { cwd: this.dir });
  }
}

/**
 * A cluster of the describe block's own, started before its tests. Call `destroyAfterAll()`
 * after declaring the servers that use it: hooks run in the order they are declared, so it then
 * outlives them.
 */
export function usePrivatePostgres(): { readonly url: string; destroyAfterAll(): void } {
  let cluster: PrivatePostgres | undefined;
  beforeAll(async () => {
    cluster = await PrivatePostgres.start();
  }, CLUSTER_START_TIMEOUT_MS);
  return {
    get url() {
      if (!cluster) throw new Error("the private PostgreSQL is not running here: use it inside a test or a hook");
      return cluster.url;
    },
    destroyAfterAll: () =>
      afterAll(async () => {
        await cluster?.destroy();
      }),
  };
}
