import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { WebSocket } from "ws";
import type { ClientInfo } from "../../domain/caller";
import type { Logger } from "../../logging/logger";
import type { ServiceMetrics } from "../../metrics/service-metrics";
import type { ConnectionRegistry } from "../../realtime/connection-registry";
import { LiveConnection } from "../../realtime/live-connection";
import type { SessionService } from "../../sessions/session-service";
import { clientInfoOf } from "../client-info";
import { bearerToken, identify } from "../request-auth";
import { SocketClose } from "./close-codes";
import type { SocketCaps } from "./socket-caps";

/** What this service keeps on a graphql-ws connection once `connection_init` has passed. */
export type SocketExtra = {
  token?: string;
  connection?: LiveConnection;
  client?: ClientInfo;
  /** The connection's logger, made on first use: most sockets sit idle and never log. */
  log?: () => Logger;
};

export interface ConnectDependencies {
  sessions: SessionService;
  connections: ConnectionRegistry;
  metrics: ServiceMetrics;
  logger: Logger;
}

interface ConnectContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: SocketExtra & { socket: WebSocket; request?: http.IncomingMessage };
}

/**
 * graphql-ws's `onConnect`: the handshake rate, then the token of `connection_init`, then the
 * per-session cap; an accepted socket is registered under its session, so that its ending
 * reaches it. Nothing here may throw: graphql-ws turns a throw into 4500, which clients treat
 * as fatal.
 */
export function onConnect(deps: ConnectDependencies, caps: SocketCaps, limits: { perSession: number }, trustProxyHops: number) {
  const { sessions, connections, metrics, logger } = deps;
  return async (ctx: ConnectContext): Promise<boolean> => {
    const client = clientInfoOf(ctx.extra.request!, trustProxyHops);
    let connectionLog: Logger | undefined;
    const log = () => (connectionLog ??= logger.child({ connectionId: randomUUID(), ip: client.ipAddress }));
    const socket = ctx.extra.socket;
    const tooMany = (reason: string) => {
      log().info({ reason }, "websocket refused: over a cap");
      socket.close(SocketClose.TooMany, reason);
      return false;
    };
    try {
      // Before any token check: a reconnect storm must not cost a JWT check and a query each.
      if (!caps.admitHandshake(client.ipAddress)) return tooMany("Too many connection attempts from this address");
      const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
      const sessionId = sessions.sessionIdOf(token);
      if (!token || !sessionId) return false;
      if (connections.connectionsOf(sessionId) >= limits.perSession) return tooMany("Too many connections for this session");
      const connection = new LiveConnection(sessionId, () => socket.close(SocketClose.SessionEnded, "Session ended"));
      // Registered before the database check, so an ending that lands in between is not missed;
      // removed again on every way out but acceptance, or the registry would leak it.
      connections.add(connection);
      let accepted = false;
      try {
        const { caller } = await identify(sessions, token, log, metrics);
        // A socket that went away while we checked has already had its onClose: do not keep it.
        if (!caller || connection.revoked || socket.readyState !== socket.OPEN) return false;
        let callerLog: Logger | undefined;
        Object.assign(ctx.extra, { token, connection, client, log: () => (callerLog ??= log().child({ userId: caller.userId, sessionId })) });
        // The upgrade request (headers, socket references) is not needed again: an idle socket should not keep it.
        Reflect.deleteProperty(ctx.extra, "request");
        accepted = true;
        return true;
      } finally {
        if (!accepted) connections.remove(connection);
      }
    } catch (error) {
      log().error({ err: error }, "websocket authentication failed");
      return false;
    }
  };
}
