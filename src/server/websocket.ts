import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Duplex } from "node:stream";
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { ClientInfo } from "../domain/caller";
import type { RequestContext } from "../graphql/context";
import { ErrorCode, toContractError } from "../graphql/error-mapping";
import { operationLabel, selectedOperation } from "../graphql/operation-label";
import type { ServiceMetrics } from "../metrics/service-metrics";
import { checkOperation } from "../graphql/operation-check";
import type { Logger } from "../logging/logger";
import type { ConnectionRegistry } from "../realtime/connection-registry";
import type { SessionFeeds } from "../realtime/session-feeds";
import { LiveConnection } from "../realtime/live-connection";
import type { SocketSession } from "../realtime/session-revoked.resolver";
import type { SessionService } from "../sessions/session-service";
import { clientInfoOf } from "./client-info";
import { bearerToken, identify } from "./request-auth";
import { SocketCaps, type SocketLimits } from "./socket-caps";

/** RFC 6455's "going away": the server is shutting down and clients should reconnect. */
export const GOING_AWAY = 1001;

export interface WebSocketOptions {
  path: string;
  introspection: boolean;
  limits: SocketLimits;
  trustProxyHops: number;
  allowedOrigins: string[];
  maxPayloadBytes: number;
}

export interface WebSocketDependencies {
  sessions: SessionService;
  connections: ConnectionRegistry;
  /** mySessionsChanged subscriptions, by user. */
  feeds: SessionFeeds;
  metrics: ServiceMetrics;
  logger: Logger;
}

type ConnectionExtra = {
  token?: string;
  connection?: LiveConnection;
  client?: ClientInfo;
  /** The connection's logger, made on first use: most sockets sit idle and never log. */
  log?: () => Logger;
};

/** Browsers always send Origin: accept our own and the configured ones; native clients send none. */
function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The same way out for errors as over HTTP. graphql-js reports a variable that does not fit its
 * type without a code (Apollo adds BAD_USER_INPUT over HTTP): such request errors have no path.
 */
function contractErrors(errors: readonly GraphQLError[], log: Logger): GraphQLFormattedError[] {
  return errors.map((error) => {
    const requestError = !error.path && error.extensions?.code === undefined;
    const formatted = error.toJSON();
    const tagged = requestError ? { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BadUserInput } } : formatted;
    return toContractError(tagged, error, (e) => log.error({ err: e }, "operation failed"));
  });
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** graphql-ws on the HTTP server's port: token checked at connection_init, sockets tracked per session. */
export function attachWebSocketServer(httpServer: http.Server, schema: GraphQLSchema, deps: WebSocketDependencies, options: WebSocketOptions) {
  const { sessions, connections, feeds, metrics, logger } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const caps = new SocketCaps(options.limits);
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== options.path) return refuseUpgrade(socket, "404 Not Found");
    // Cross-site WebSocket hijacking: refuse foreign pages before any protocol message (RFC 6455 §10.2).
    if (!originAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)) return refuseUpgrade(socket, "403 Forbidden");
    const ip = clientInfoOf(request, options.trustProxyHops).ipAddress;
    // Over the cap, the socket is opened only to be closed with graphql-ws's "too many" code.
    if (!caps.admitSocket(ip)) return wss.handleUpgrade(request, socket, head, (ws) => ws.close(CloseCode.TooManyInitialisationRequests, "Too many connections from this address"));
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Bound, not a closure: a closure here would keep the upgrade request alive with the socket.
      ws.once("close", caps.releaseSocket.bind(caps, ip));
      wss.emit("connection", ws, request);
    });
  };
  httpServer.on("upgrade", onUpgrade);

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema,
      // Parsed and validated here, as Apollo does over HTTP: a syntax error is an error message,
      // not a broken connection, and the introspection switch holds on the socket too.
      onSubscribe: (ctx, _id, payload) => {
        // The new operation is already counted among the connection's.
        if (Object.keys(ctx.subscriptions).length > options.limits.subscriptionsPerSocket) {
          return [new GraphQLError(`At most ${options.limits.subscriptionsPerSocket} operations may run on one connection.`, { extensions: { code: ErrorCode.BadUserInput } })];
        }
        const checked = checkOperation(schema, payload.query, { introspection: options.introspection });
        if (Array.isArray(checked)) return checked;
        return { schema, document: checked, operationName: payload.operationName, variableValues: payload.variables };
      },
      // Nothing here may throw: graphql-ws turns a throw into 4500, which clients treat as fatal.
      onConnect: async (ctx) => {
        const client = clientInfoOf(ctx.extra.request, options.trustProxyHops);
        let connectionLog: Logger | undefined;
        const log = () => (connectionLog ??= logger.child({ connectionId: randomUUID(), ip: client.ipAddress }));
        const socket: WebSocket = ctx.extra.socket;
        const tooMany = (reason: string) => {
          log().info({ reason }, "websocket refused: over a cap");
          socket.close(CloseCode.TooManyInitialisationRequests, reason);
          return false;
        };
        try {
          // Before any token check: a reconnect storm must not cost a JWT check and a query each.
          if (!caps.admitHandshake(client.ipAddress)) return tooMany("Too many connection attempts from this address");
          const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
          const sessionId = sessions.sessionIdOf(token);
          if (!token || !sessionId) return false;
          if (connections.connectionsOf(sessionId) >= options.limits.perSession) return tooMany("Too many connections for this session");
          const connection = new LiveConnection(sessionId, (code, reason) => socket.close(code, reason));
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
      },
      // Every operation re-checks the session, as an HTTP request would.
      context: async (ctx): Promise<RequestContext<SocketSession>> => {
        const log = ctx.extra.log ?? (() => logger);
        const connection = ctx.extra.connection;
        return {
          ...(await identify(sessions, ctx.extra.token, log, metrics)),
          client: ctx.extra.client ?? { ipAddress: "0.0.0.0", userAgent: undefined },
          get log() {
            return log();
          },
          connection: connection && { ending: () => connections.watch(connection), changes: (userId) => feeds.open(userId, connection.sessionId) },
        };
      },
      onNext: (ctx, _id, _payload, args, result) => {
        const errors = (result as ExecutionResult).errors;
        const operation = selectedOperation(args.document, args.operationName);
        const formatted = errors?.length ? contractErrors(errors, ctx.extra.log?.() ?? logger) : undefined;
        // A subscription's events are not operations answered; its errors are.
        if (operation?.operation !== "subscription" || formatted) {
          metrics.operation(operationLabel(operation), "websocket", formatted ? String(formatted[0].extensions?.code) : "OK");
        }
        return formatted && { ...result, errors: formatted };
      },
      onError: (ctx, _id, _payload, errors) => {
        const formatted = contractErrors(errors, ctx.extra.log?.() ?? logger);
        metrics.operation("unknown", "websocket", String(formatted[0]?.extensions?.code ?? ErrorCode.BadUserInput));
        return formatted;
      },
      onClose: (ctx) => {
        if (ctx.extra.connection) connections.remove(ctx.extra.connection);
      },
    },
    wss,
  );

  return {
    async dispose(): Promise<void> {
      httpServer.off("upgrade", onUpgrade);
      for (const client of wss.clients) client.close(GOING_AWAY, "Server shutting down");
      await disposable.dispose();
    },
  };
}
