import type http from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { clientInfoOf } from "../client-info";
import { SocketClose } from "./close-codes";
import type { SocketCaps } from "./socket-caps";

export interface UpgradeGuardOptions {
  path: string;
  allowedOrigins: string[];
  trustProxyHops: number;
}

/** Browsers always send Origin: accept our own and the configured ones; native clients send none. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The HTTP server's `upgrade` handler: only the GraphQL path, only allowed origins, and only as
 * many sockets per network as the caps allow; what passes becomes a graphql-ws connection.
 */
export function upgradeGuard(wss: WebSocketServer, caps: SocketCaps, options: UpgradeGuardOptions) {
  return (request: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== options.path) return refuseUpgrade(socket, "404 Not Found");
    // Cross-site WebSocket hijacking: refuse foreign pages before any protocol message (RFC 6455 §10.2).
    if (!originAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)) return refuseUpgrade(socket, "403 Forbidden");
    const ip = clientInfoOf(request, options.trustProxyHops).ipAddress;
    // Over the cap, the socket is opened only to be closed with a code the client understands.
    if (!caps.admitSocket(ip)) {
      return wss.handleUpgrade(request, socket, head, (ws) => ws.close(SocketClose.TooMany, "Too many connections from this address"));
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Bound, not a closure: a closure here would keep the upgrade request alive with the socket.
      ws.once("close", caps.releaseSocket.bind(caps, ip));
      wss.emit("connection", ws, request);
    });
  };
}
