import type http from "node:http";
import type net from "node:net";
import { ipPrefix } from "../domain/ip-prefix";

/**
 * Node's defaults hold a request whose headers or body trickle in for 60 s and 300 s (and check
 * only every 30 s): a few hundred slow clients would hold every socket. Clients of this API send
 * small requests at once. The keep-alive is Node's own default, written down because
 * deploy/nginx.conf keeps its upstream keep-alive shorter.
 */
export const HTTP_SERVER_OPTIONS: http.ServerOptions = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/**
 * When the service faces clients directly (no trusted proxy, whose one address carries
 * everybody), each IPv4 address or IPv6 /64 may hold at most `perAddress` connections, HTTP and
 * WebSocket together; past it a new connection is closed at once.
 */
export function capConnectionsPerAddress(server: http.Server, perAddress: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: net.Socket) => {
    const network = ipPrefix(socket.remoteAddress ?? "");
    const count = (open.get(network) ?? 0) + 1;
    if (count > perAddress) return void socket.destroy();
    open.set(network, count);
    socket.once("close", () => {
      const left = (open.get(network) ?? 1) - 1;
      if (left > 0) open.set(network, left);
      else open.delete(network);
    });
  });
}
