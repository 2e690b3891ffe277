import { spawn, type ChildProcess } from "node:child_process";
import Redis from "ioredis";
import { accepting, freePort } from "../../support/service-process";
import { sleep } from "./time";

/** A redis-server of the test's own on a spare port, that it may kill and bring back. */
export class PrivateRedis {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.startServer();
    return redis;
  }

  async startServer(): Promise<void> {
    this.process = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await accepting(this.port)) return;
      await sleep(50);
    }
    throw new Error("redis-server did not start within 20 s");
  }

  /** Gone at once, as a crashed or partitioned Redis is. */
  async kill(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    // exitCode stays null for a process that a signal ended: then its exit has already been heard.
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  }

  /** Stops answering without closing a connection (SIGSTOP), as a Redis that hangs does. */
  pause(): void {
    this.process?.kill("SIGSTOP");
  }

  resume(): void {
    this.process?.kill("SIGCONT");
  }

  /**
   * Waits until `instances` services are back on this Redis: each with a publisher that has
   * passed ioredis' ready check (it sent INFO) and a subscriber on the revocation channel.
   * ioredis reconnects on its own back-off, which the test can only watch from Redis' side.
   */
  async untilReconnected(instances: number, timeoutMs = 10_000): Promise<void> {
    const probe = new Redis({ host: "127.0.0.1", port: this.port, lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 1 });
    try {
      await probe.connect();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const clients = String(await probe.call("CLIENT", "LIST"))
          .trim()
          .split("\n")
          .filter((line) => !line.includes("cmd=client|list"));
        const subscribers = clients.filter((line) => /\bsub=[1-9]/.test(line));
        const publishers = clients.filter((line) => /\bsub=0\b/.test(line) && !/\bcmd=NULL\b/.test(line));
        if (subscribers.length >= instances && publishers.length >= instances) return;
        if (Date.now() > deadline) throw new Error(`services did not reconnect to Redis:\n${clients.join("\n")}`);
        await sleep(20);
      }
    } finally {
      probe.disconnect();
    }
  }
}
