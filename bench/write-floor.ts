import net from "node:net";
import { performance } from "node:perf_hooks";

/**
 * What the kernel alone charges for a push storm on this machine: one write of a few hundred
 * bytes to each of `count` open loopback TCP connections, from one thread, as the service's one
 * write per socket is. Microseconds per write, the best of three rounds.
 */
export async function microsPerSocketWrite(count = 5000): Promise<number> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  try {
    for (let i = 0; i < count; i += 500) {
      const batch = Array.from({ length: Math.min(500, count - i) }, () => new Promise<net.Socket>((resolve) => {
        const client = net.connect(port, "127.0.0.1", () => resolve(client));
        client.on("data", () => undefined);
      }));
      clients.push(...(await Promise.all(batch)));
    }
    while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    const frame = Buffer.alloc(300, 0x61);
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      for (const socket of accepted) socket.write(frame);
      best = Math.min(best, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return (best * 1000) / count;
  } finally {
    for (const socket of [...clients, ...accepted]) socket.destroy();
    server.close();
  }
}
