import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { SESSION_REVOKED } from "./graphql";

/** One device's socket: graphql-ws by hand, so that 10,000 of them cost the bench little. */
export interface Watcher {
  sessionId: string;
  /** performance.now() when its sessionRevoked event arrived. */
  eventAt?: number;
  closed: Promise<number>;
  socket: WebSocket;
}

/** Opens a socket with the token, subscribes to sessionRevoked, resolves once acknowledged. */
function openWatcher(wsUrl: string, accessToken: string, sessionId: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, "graphql-transport-ws", { perMessageDeflate: false });
    let settle: (code: number) => void = () => undefined;
    const watcher: Watcher = { sessionId, socket, closed: new Promise((done) => (settle = done)) };
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${accessToken}` } })));
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string };
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({ id: "r", type: "subscribe", payload: { query: SESSION_REVOKED } }));
        resolve(watcher);
      } else if (message.type === "next" && watcher.eventAt === undefined) {
        watcher.eventAt = performance.now();
      }
    });
    socket.once("close", (code) => {
      settle(code);
      reject(new Error(`socket closed before ack: ${code}`));
    });
    socket.once("error", reject);
  });
}

/** `perSession` watchers for each session, opened `parallel` at a time. */
export async function openWatchers(wsUrl: string, sessions: { accessToken: string; sessionId: string }[], perSession: number, parallel = 200): Promise<Watcher[]> {
  const wanted = sessions.flatMap((s) => Array.from({ length: perSession }, () => s));
  const watchers: Watcher[] = [];
  for (let i = 0; i < wanted.length; i += parallel) {
    watchers.push(...(await Promise.all(wanted.slice(i, i + parallel).map((s) => openWatcher(wsUrl, s.accessToken, s.sessionId)))));
  }
  return watchers;
}

/** Until the service's metrics show `count` sessionRevoked subscriptions (a subscribe has no ack). */
export async function untilSubscribed(baseUrl: string, metricsToken: string, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const open = Number(/session_service_subscriptions\{field="sessionRevoked"\} (\d+)/.exec(text)?.[1] ?? 0);
    if (open >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fewer than ${count} subscriptions after 60 s`);
}
