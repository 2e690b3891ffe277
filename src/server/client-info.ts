import type http from "node:http";
import type { ClientInfo } from "../domain/caller";
import { clientIp } from "./client-ip";

/** Where a request comes from, the same way for an HTTP request and a WebSocket upgrade. */
export function clientInfoOf(request: http.IncomingMessage, trustedProxyHops: number): ClientInfo {
  return {
    ipAddress: clientIp(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxyHops),
    userAgent: request.headers["user-agent"],
  };
}
