import { fork } from "node:child_process";
import net from "node:net";
import { performance } from "node:perf_hooks";

const READER = "write-floor-reader";

/** What the kernel and Node charge for a push storm on this machine, before any of the service's own work. */
export interface WriteFloor {
  /** Microseconds per write: one write of a few hundred bytes to each open loopback connection, from one thread. */
  microsPerWrite: number;
  /** Milliseconds from the first write until a bare reader in another process has read them all. */
  allReadMs: number;
}

/**
 * One write to each of `count` loopback TCP connections whose other ends a bare reader in
 * another process holds (as the devices of a storm are read elsewhere, here on the other core),
 * as the service's one write per socket is: the best of three rounds.
 */
export async function socketWriteFloor(count = 10_000): Promise<WriteFloor> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const reader = fork(__filename, [READER, String((server.address() as net.AddressInfo).port), String(count)]);
  const next = () => new Promise((resolve) => reader.once("message", resolve));
  try {
    await next();
    while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    const frame = Buffer.alloc(300, 0x61);
    let best: WriteFloor = { microsPerWrite: Infinity, allReadMs: Infinity };
    for (let round = 0; round < 3; round++) {
      const allRead = next();
      const started = performance.now();
      for (const socket of accepted) socket.write(frame);
      const written = performance.now() - started;
      await allRead;
      const read = performance.now() - started;
      if (read < best.allReadMs) best = { microsPerWrite: (written * 1000) / count, allReadMs: read };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return best;
  } finally {
    reader.kill();
    for (const socket of accepted) socket.destroy();
    server.close();
  }
}

/** The other process: opens the connections, then says when every one has had its bytes. */
async function runReader(port: number, count: number): Promise<void> {
  let read = 0;
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, () => new Promise<void>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", resolve);
        socket.on("data", () => {
          if (++read === count) {
            read = 0;
            process.send!("read");
          }
        });
      })),
    );
  }
  process.send!("ready");
}

if (process.argv[2] === READER) void runReader(Number(process.argv[3]), Number(process.argv[4]));
