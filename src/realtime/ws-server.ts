import type http from "node:http";
import type { Duplex } from "node:stream";
import { validate, specifiedRules, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { bearerToken, identify, type RequestContext, type Services } from "../context";
import { validationRules } from "../graphql/validation-rules";
import { clientIp } from "../sessions/client-ip";
import type { ClientInfo } from "../sessions/session-service";
import { SessionCloseCode } from "./close-codes";
import { LiveConnection } from "./live-connection";

export interface WebSocketOptions {
  path: string;
  trustProxyHops: number;
  allowedOrigins: string[];
  maxPayloadBytes: number;
  log: (message: string, error?: unknown) => void;
}

type ConnectionExtra = {
  token?: string;
  connection?: LiveConnection;
  client?: ClientInfo;
};

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

/** graphql-ws on the HTTP server's port: token checked at connection_init, sockets tracked per session. */
export function attachWebSocketServer(httpServer: http.Server, schema: GraphQLSchema, services: Services, options: WebSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== options.path) return refuseUpgrade(socket, "404 Not Found");
    // Cross-site WebSocket hijacking: refuse foreign pages before any protocol message (RFC 6455 §10.2).
    if (!originAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)) return refuseUpgrade(socket, "403 Forbidden");
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  };
  httpServer.on("upgrade", onUpgrade);

  const allRules = [...specifiedRules, ...validationRules];
  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema,
      validate: (s, document) => validate(s, document, allRules),
      // Nothing here may throw: graphql-ws turns a throw into 4500, which clients treat as fatal.
      onConnect: async (ctx) => {
        try {
          const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
          const sessionId = services.sessions.sessionIdOf(token);
          if (!token || !sessionId) return false;
          const socket: WebSocket = ctx.extra.socket;
          const connection = new LiveConnection(sessionId, (code, reason) => socket.close(code, reason));
          // Registered before the database check, so an ending that lands in between is not missed.
          services.live.add(connection);
          const caller = await services.sessions.authenticate(token);
          // A socket that went away while we checked has already had its onClose: do not keep it.
          if (!caller || connection.revoked || socket.readyState !== socket.OPEN) {
            services.live.remove(connection);
            return false;
          }
          const request = ctx.extra.request;
          ctx.extra.token = token;
          ctx.extra.connection = connection;
          ctx.extra.client = {
            ipAddress: clientIp(request.socket.remoteAddress, request.headers["x-forwarded-for"], options.trustProxyHops),
            userAgent: request.headers["user-agent"],
          };
          return true;
        } catch (error) {
          options.log("websocket authentication failed", error);
          return false;
        }
      },
      // Every operation re-checks the session, as an HTTP request would.
      context: async (ctx): Promise<RequestContext> => ({
        ...(await identify(services, ctx.extra.token)),
        client: ctx.extra.client ?? { ipAddress: "0.0.0.0", userAgent: undefined },
        services,
        connection: ctx.extra.connection,
      }),
      onClose: (ctx) => {
        if (ctx.extra.connection) services.live.remove(ctx.extra.connection);
      },
    },
    wss,
  );

  return {
    async dispose(): Promise<void> {
      httpServer.off("upgrade", onUpgrade);
      for (const client of wss.clients) client.close(SessionCloseCode.GoingAway, "Server shutting down");
      await disposable.dispose();
    },
  };
}
