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
import { SocketEnding, type RevocationWatcher } from "./ending-frames";
import type { SocketCaps } from "./socket-caps";

/** What this service keeps on a graphql-ws connection once `connection_init` has passed. */
export type SocketExtra = {
  token?: string;
  connection?: LiveConnection<RevocationWatcher>;
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
 * reaches it. A refusal the client should retry (a cap, a rate, an unreachable database) closes
 * with 1013; a bad token with 4403, and an ended session's with 4403 and the ending's reason, so
 * a device that comes back learns why. Nothing here may throw: graphql-ws turns a throw into
 * 4500, which clients treat as fatal.
 */
export function onConnect(deps: ConnectDependencies, caps: SocketCaps, limits: { perSession: number }, trustProxyHops: number) {
  const { sessions, connections, metrics, logger } = deps;
  return async (ctx: ConnectContext): Promise<boolean> => {
    const client = clientInfoOf(ctx.extra.request!, trustProxyHops);
    let connectionLog: Logger | undefined;
    const log = () => (connectionLog ??= logger.child({ connectionId: randomUUID(), ip: client.ipAddress }));
    const socket = ctx.extra.socket;
    const refuse = (code: number, reason: string) => {
      log().info({ code, reason }, "websocket refused");
      socket.close(code, reason);
      return false;
    };
    const tooMany = (reason: string) => refuse(SocketClose.TryAgainLater, reason);
    try {
      // Before any token check: a reconnect storm must not cost a JWT check and a query each.
      if (!caps.admitHandshake(client.ipAddress)) return tooMany("Too many connection attempts from this address");
      const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
      const sessionId = sessions.sessionIdOf(token);
      if (!token || !sessionId) return false;
      if (connections.connectionsOf(sessionId) >= limits.perSession) return tooMany("Too many connections for this session");
      const connection = new LiveConnection<RevocationWatcher>(sessionId, new SocketEnding(socket, log));
      // Registered before the database check, so an ending that lands in between is not missed;
      // removed again on every way out but acceptance, or the registry would leak it.
      connections.add(connection);
      let accepted = false;
      try {
        const { caller, authFailure } = await identify(sessions, token, log, metrics);
        // A socket that went away while we checked has already had its onClose: do not keep it.
        if (connection.revoked || socket.readyState !== socket.OPEN) return false;
        if (authFailure) return refuse(SocketClose.TryAgainLater, "The session cannot be checked now; try again later");
        if (!caller) {
          const [ended] = await sessions.findEnded([sessionId]);
          return ended ? refuse(SocketClose.Forbidden, ended.reason) : false;
        }
        let callerLog: Logger | undefined;
        Object.assign(ctx.extra, { token, connection, client, log: () => (callerLog ??= log().child({ userId: caller.userId, sessionId })) });
        // Neither the upgrade request (headers, socket references) nor connection_init's payload (a
        // second copy of the token) is read again: an idle socket should not keep them.
        Reflect.deleteProperty(ctx.extra, "request");
        Reflect.deleteProperty(ctx, "connectionParams");
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
