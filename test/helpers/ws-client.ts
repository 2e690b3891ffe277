import { WebSocket } from "ws";
import type { TestServer } from "./test-server";
import { sleep, until } from "./time";

export interface CloseInfo {
  code: number;
  reason: string;
}

interface ProtocolMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A graphql-transport-ws client that keeps every frame and the close code, so tests can
 * assert exactly what the protocol did (the library client hides some of it behind retries).
 */
export class WsTestClient {
  readonly messages: ProtocolMessage[] = [];
  readonly closed: Promise<CloseInfo>;
  readonly opened: Promise<void>;
  private readonly socket: WebSocket;
  private listeners: (() => void)[] = [];
  private closeInfo: CloseInfo | undefined;

  constructor(url: string, options: { protocol?: string | string[]; headers?: Record<string, string> } = {}) {
    this.socket = new WebSocket(url, options.protocol ?? "graphql-transport-ws", { headers: options.headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      this.socket.once("error", reject);
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.socket.once("close", (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.notify();
      });
    });
    this.socket.on("message", (raw) => {
      this.messages.push(JSON.parse(raw.toString()));
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  send(message: ProtocolMessage | string): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Opens, sends connection_init, and resolves on connection_ack (rejects with the close code otherwise). */
  async init(payload: unknown): Promise<void> {
    await this.opened;
    this.send({ type: "connection_init", payload });
    await this.waitFor((m) => m.type === "connection_ack");
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ type: "subscribe", id, payload: { query, variables } });
  }

  /**
   * The next message matching, whether it already arrived or arrives later. Once the socket has
   * closed none can arrive: rejects at once with the close code and reason (as `code`, `reason`).
   */
  waitFor(match: (m: ProtocolMessage) => boolean, timeoutMs = 5000): Promise<ProtocolMessage> {
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const check = () => {
        const found = this.messages.find(match);
        if (found) {
          settle();
          resolve(found);
        } else if (this.closeInfo) {
          settle();
          reject(Object.assign(new Error(`closed ${this.closeInfo.code} without a matching message; got ${JSON.stringify(this.messages)}`), this.closeInfo));
        }
      };
      this.listeners.push(check);
      check();
    });
  }

  messagesOfType(type: string, id?: string): ProtocolMessage[] {
    return this.messages.filter((m) => m.type === type && (id === undefined || m.id === id));
  }

  close(): void {
    this.socket.close();
  }

  get readyState(): number {
    return this.socket.readyState;
  }
}

export const SESSION_REVOKED = "subscription { sessionRevoked { sessionId reason revokedAt } }";

/**
 * A socket authenticated with the token and subscribed to sessionRevoked under id "revoked".
 * graphql-ws does not acknowledge a subscribe, so this waits until the server shows the watcher.
 */
export async function watchRevocation(server: TestServer, accessToken: string, sessionId: string): Promise<WsTestClient> {
  const client = new WsTestClient(server.wsUrl);
  await client.init({ authorization: `Bearer ${accessToken}` });
  const before = server.services.connections.watchersOf(sessionId);
  client.subscribe("revoked", SESSION_REVOKED);
  await until(() => server.services.connections.watchersOf(sessionId) > before);
  return client;
}

/** Resolves with the sessionRevoked payload and the close info that followed it. */
export async function revocationOf(client: WsTestClient): Promise<{ event: { sessionId: string; reason: string; revokedAt: string }; close: CloseInfo }> {
  const message = await client.waitFor((m) => m.type === "next" && m.id === "revoked");
  const close = await Promise.race([client.closed, sleep(5_000).then(() => Promise.reject(new Error("sessionRevoked arrived but the socket was not closed within 5 s")))]);
  // The protocol's order: the event, the subscription's completion, then the close frame.
  const order = client.messages.filter((m) => m.id === "revoked").map((m) => m.type);
  if (order.join(",") !== "next,complete") throw new Error(`expected next then complete, got ${order.join(",")}`);
  const payload = message.payload as { data: { sessionRevoked: { sessionId: string; reason: string; revokedAt: string } } };
  return { event: payload.data.sessionRevoked, close };
}
