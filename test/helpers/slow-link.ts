import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { sleep } from "./time";

/**
 * A TCP link to a dependency (Redis, PostgreSQL) that the test can slow down: each chunk, either
 * way, is passed on `delayMs` after it arrived, in order. A link much slower than the client's
 * round trip is what a congested network or a paused process looks like from the other side.
 */
export class SlowLink {
  private delayMs = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  /** Listens on a spare port of 127.0.0.1 and forwards to the URL's host and port. */
  static async to(url: string): Promise<SlowLink> {
    const parsed = new URL(url);
    const server = createServer();
    const link = new SlowLink(server, { host: parsed.hostname, port: Number(parsed.port) });
    server.on("connection", (client) => link.forward(client));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return link;
  }

  /** The URL given, pointing at this link instead. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return parsed.toString();
  }

  /** From now on, every chunk waits this long (0: none). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on("error", () => undefined);
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Passes chunks on in arrival order, each once its own delay is over. */
  private pipe(from: Socket, to: Socket): void {
    let last = Promise.resolve();
    from.on("data", (chunk) => {
      const due = Date.now() + this.delayMs;
      last = last.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        if (!to.destroyed) to.write(chunk);
      });
    });
  }
}
