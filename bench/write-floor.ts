import { fork, type ChildProcess } from "node:child_process";
import net from "node:net";
import { percentile } from "./stats";

const WRITER = "write-floor-writer";
const READER = "write-floor-reader";
const ROUNDS = 3;

/** What the kernel and Node charge for a push storm on this machine, before any of the service's own work. */
export interface WriteFloor {
  /** How many processes shared the writing, each holding its share of the sockets. */
  writers: number;
  /** Microseconds per write: one write of a few hundred bytes to each open loopback connection, the slowest writer's. */
  microsPerWrite: number;
  /** Milliseconds from the signal to write until a bare reader in another process has read 99% of them. */
  p99ReadMs: number;
  /** … and all of them. */
  allReadMs: number;
}

/** The same clock in every process (CLOCK_MONOTONIC), so one process's arrivals are measured from another's signal. */
const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * One write to each of `count` loopback TCP connections, from `writers` processes that each hold
 * their share, while a bare reader in another process holds the other ends (as the devices of a
 * storm are read elsewhere, here on the same 2 cores): the best of three rounds by the p99.
 * With more than one writer it asks whether an instance of several processes would tell its
 * devices sooner here.
 */
export async function socketWriteFloor(count = 10_000, writers = 1): Promise<WriteFloor> {
  const children: ChildProcess[] = [];
  const message = <T>(child: ChildProcess) => new Promise<T>((resolve) => child.once("message", (m) => resolve(m as T)));
  try {
    const each = Math.ceil(count / writers);
    const writing = Array.from({ length: writers }, () => fork(__filename, [WRITER, String(each)]));
    children.push(...writing);
    const ports = await Promise.all(writing.map((w) => message<number>(w)));
    // Listened for before the reader connects: a writer says so once it has accepted all its share.
    const allAccepted = Promise.all(writing.map((w) => message(w)));
    const reader = fork(__filename, [READER, JSON.stringify(ports), String(each)]);
    children.push(reader);
    await Promise.all([message(reader), allAccepted]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    let best: WriteFloor = { writers, microsPerWrite: Infinity, p99ReadMs: Infinity, allReadMs: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      const arrivals = message<number[]>(reader);
      const written = Promise.all(writing.map((w) => message<number>(w)));
      const signalled = now();
      for (const w of writing) w.send("write");
      const read = (await arrivals).map((at) => at - signalled);
      const slowest = Math.max(...(await written));
      const p99ReadMs = percentile(read, 99);
      if (p99ReadMs < best.p99ReadMs) best = { writers, microsPerWrite: (slowest * 1000) / each, p99ReadMs, allReadMs: Math.max(...read) };
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return best;
  } finally {
    for (const child of children) child.kill();
  }
}

/**
 * A writer: says its port, then that it has accepted its `share` of connections; on each signal
 * it writes once to every socket and says how long that took.
 */
function runWriter(share: number): void {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    if (accepted.push(socket) === share) process.send!("accepted");
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as net.AddressInfo).port));
  const frame = Buffer.alloc(300, 0x61);
  process.on("message", () => {
    const started = now();
    for (const socket of accepted) socket.write(frame);
    process.send!(now() - started);
  });
}

/** The reader: opens `each` connections to every writer, then, each round, sends when every one had its bytes. */
async function runReader(ports: number[], each: number): Promise<void> {
  let arrivals: number[] = [];
  for (const port of ports)
    for (let i = 0; i < each; i += 500)
      await Promise.all(
        Array.from({ length: Math.min(500, each - i) }, () => new Promise<void>((resolve) => {
          const socket = net.connect(port, "127.0.0.1", resolve);
          socket.on("data", () => {
            arrivals.push(now());
            if (arrivals.length === each * ports.length) {
              process.send!(arrivals);
              arrivals = [];
            }
          });
        })),
      );
  process.send!("ready");
}

if (process.argv[2] === WRITER) runWriter(Number(process.argv[3]));
if (process.argv[2] === READER) void runReader(JSON.parse(process.argv[3]) as number[], Number(process.argv[4]));
