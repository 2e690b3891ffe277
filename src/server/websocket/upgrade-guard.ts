import type http from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { clientInfoOf } from "../client-info";
import { SocketClose } from "./close-codes";
import type { SocketCaps } from "./socket-caps";

export interface UpgradeGuardOptions {
  path: string;
  /** The service's own origins and ALLOWED_ORIGINS; read per upgrade, as the port is known only once listening. */
  acceptedOrigins: () => ReadonlySet<string>;
  trustProxyHops: number;
}

/**
 * Browsers always send Origin: accept the service's own and the configured ones, scheme
 * included; native clients send none. Never the request's Host header: a page on a rebound
 * DNS name (evil.example pointing here) sends a Host that matches its own Origin.
 */
export function originAllowed(origin: string | undefined, accepted: ReadonlySet<string>): boolean {
  return origin === undefined || accepted.has(origin);
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
    if (!originAllowed(request.headers.origin, options.acceptedOrigins())) return refuseUpgrade(socket, "403 Forbidden");
    const ip = clientInfoOf(request, options.trustProxyHops).ipAddress;
    // Over the cap, the socket is opened only to be closed with a code the client understands.
    if (!caps.admitSocket(ip)) {
      return wss.handleUpgrade(request, socket, head, (ws) => ws.close(SocketClose.TryAgainLater, "Too many connections from this address"));
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Bound, not a closure: a closure here would keep the upgrade request alive with the socket.
      ws.once("close", caps.releaseSocket.bind(caps, ip));
      wss.emit("connection", ws, request);
    });
  };
}
