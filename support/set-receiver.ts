import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";

/** A SET as a receiver verified it. */
export interface ReceivedSet {
  header: Record<string, unknown>;
  claims: JWTPayload & Record<string, unknown>;
  /** The event type URI (each SET carries one). */
  type: string;
  event: Record<string, unknown>;
  token: string;
  receivedAt: number;
  /** The Authorization header the push came with. */
  authorization?: string;
}

export type ReceiverMode = "accept" | "unavailable" | "refuse" | "refuse-key" | "hang";

export interface Verification {
  jwksUri: string;
  issuer: string;
  audience: string;
}

/**
 * A push receiver (RFC 8935) as another service would run it: an HTTP server that verifies each
 * SET with jose against the transmitter's JWKS (signature, RS256, typ secevent+jwt, iss, aud)
 * and answers 202, or, as told, 503, a 400 error body, or nothing. Shared by tests and benches.
 */
export class SetReceiver {
  readonly received: ReceivedSet[] = [];
  /** SETs that failed verification, with why: a test expects none. */
  readonly rejected: string[] = [];
  mode: ReceiverMode = "accept";
  private verification: { keys: ReturnType<typeof createRemoteJWKSet>; issuer: string; audience: string } | undefined;
  private readonly sockets = new Set<Socket>();
  private waiters: (() => void)[] = [];

  private server!: http.Server;
  port = 0;

  private constructor() {}

  static async start(port = 0): Promise<SetReceiver> {
    const receiver = new SetReceiver();
    receiver.server = await receiver.listen(port);
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  verifyWith(verification: Verification): void {
    // A kid it has not seen is looked up again after a second (jose's default waits 30 s): instances
    // that share a database may each sign with their own key, published as they start.
    this.verification = { keys: createRemoteJWKSet(new URL(verification.jwksUri), { cooldownDuration: 1000 }), issuer: verification.issuer, audience: verification.audience };
  }

  private listen(port: number): Promise<http.Server> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.mode === "hang") return;
    if (this.mode === "unavailable") {
      res.writeHead(503).end();
      return;
    }
    if (this.mode === "refuse-key") {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ err: "invalid_key", description: "no key with that kid yet" }));
      return;
    }
    if (this.mode === "refuse") {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ err: "invalid_request", description: "refused by the test receiver" }));
      return;
    }
    const token = Buffer.concat(chunks).toString("utf8");
    try {
      if (req.headers["content-type"] !== "application/secevent+jwt") throw new Error(`content-type ${req.headers["content-type"]}`);
      if (!this.verification) throw new Error("the receiver was not told whom to trust");
      const { payload, protectedHeader } = await jwtVerify(token, this.verification.keys, {
        issuer: this.verification.issuer,
        audience: this.verification.audience,
        typ: "secevent+jwt",
        algorithms: ["RS256"],
      });
      const events = (payload.events ?? {}) as Record<string, Record<string, unknown>>;
      const [type] = Object.keys(events);
      this.received.push({
        header: { ...protectedHeader, ...decodeProtectedHeader(token) },
        claims: payload as ReceivedSet["claims"],
        type,
        event: events[type],
        token,
        receivedAt: Date.now(),
        authorization: req.headers.authorization,
      });
      res.writeHead(202).end();
      for (const wake of this.waiters.splice(0)) wake();
    } catch (error) {
      this.rejected.push((error as Error).message);
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ err: "invalid_key", description: (error as Error).message }));
    }
  }

  /** Resolves with the first SET (from `from` on) that matches, or fails after `timeoutMs`. */
  async next(matches: (set: ReceivedSet) => boolean, timeoutMs = 10_000, from = 0): Promise<ReceivedSet> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SET within ${timeoutMs} ms (received ${this.received.length}: ${this.received.map((s) => s.type.split("/").pop()).join(", ")}; rejected: ${this.rejected.join("; ") || "none"})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Stops listening: pushes meet a refused connection until `up`. */
  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async up(): Promise<void> {
    this.server = await this.listen(this.port);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The short name of a SET's event type (session-revoked, verification, …). */
export const kindOf = (set: ReceivedSet) => set.type.split("/").pop()!;
