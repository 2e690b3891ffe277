import type http from "node:http";
import { getOperationAST, GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { ErrorCode } from "../../graphql/error-mapping";
import { mayIntrospect } from "../../graphql/introspection-access";
import { checkOperationFor } from "../../graphql/operation-check";
import { identify } from "../request-auth";
import { SocketClose } from "./close-codes";
import { onConnect, type ConnectDependencies, type SocketExtra } from "./on-connect";
import { operationResults } from "./operation-results";
import { OperationsInFlight } from "./operations-in-flight";
import { SocketCaps, type SocketLimits } from "./socket-caps";
import { socketContext, type ContextDependencies } from "./socket-context";
import { upgradeGuard } from "./upgrade-guard";

export interface WebSocketOptions {
  path: string;
  introspection: boolean;
  limits: SocketLimits;
  trustProxyHops: number;
  /** The service's own origins and ALLOWED_ORIGINS (see upgrade-guard.ts). */
  acceptedOrigins: () => ReadonlySet<string>;
  maxPayloadBytes: number;
}

export type WebSocketDependencies = ConnectDependencies & ContextDependencies;

// How long a shutdown waits for the queries and mutations running on sockets.
const DRAIN_DEADLINE_MS = 5_000;

/**
 * graphql-ws on the HTTP server's port, in the parts graphql-ws's own `use/ws` names: the
 * upgrade guard (path, origin, caps), `onConnect` (the token of connection_init), `onSubscribe`
 * (parse, validate, the operations cap), the context, and the errors' way out.
 */
export function attachWebSocketServer(httpServer: http.Server, schema: GraphQLSchema, deps: WebSocketDependencies, options: WebSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const caps = new SocketCaps(options.limits);
  const onUpgrade = upgradeGuard(wss, caps, options);
  httpServer.on("upgrade", onUpgrade);
  const inFlight = new OperationsInFlight();

  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema,
      // Parsed and validated here, as Apollo does over HTTP: a syntax error is an error message,
      // not a broken connection, and the introspection switch holds on the socket too.
      onSubscribe: async (ctx, id, payload) => {
        // The new operation is already counted among the connection's.
        if (Object.keys(ctx.subscriptions).length > options.limits.subscriptionsPerSocket) {
          return [new GraphQLError(`At most ${options.limits.subscriptionsPerSocket} operations may run on one connection.`, { extensions: { code: ErrorCode.BadUserInput } })];
        }
        const checked = await checkOperationFor(schema, payload.query, options.introspection, () => isAdministrator(deps, ctx.extra));
        if (Array.isArray(checked)) return checked;
        if (!isSubscription(checked, payload.operationName)) inFlight.started(ctx, id);
        return { schema, document: checked, operationName: payload.operationName, variableValues: payload.variables };
      },
      onComplete: (ctx, id) => inFlight.finished(ctx, id),
      onConnect: onConnect(deps, caps, options.limits, options.trustProxyHops),
      context: socketContext(deps),
      ...operationResults(deps.metrics, deps.logger),
      onClose: (ctx) => {
        inFlight.closed(ctx);
        if (ctx.extra.connection) deps.connections.remove(ctx.extra.connection);
      },
    },
    wss,
  );

  return {
    async dispose(): Promise<void> {
      httpServer.off("upgrade", onUpgrade);
      // The answers to what is running go out before the close frames.
      await inFlight.drained(DRAIN_DEADLINE_MS);
      for (const client of wss.clients) client.close(SocketClose.ServiceRestart, "Service restart");
      await disposable.dispose();
    },
  };
}

function isSubscription(document: DocumentNode, operationName: string | null | undefined): boolean {
  return getOperationAST(document, operationName ?? undefined)?.operation === "subscription";
}

/**
 * Whether the socket's session is an ADMIN's now, who may introspect with the switch off: its
 * token is checked again, as each operation's context checks it, so a demotion counts at once.
 */
async function isAdministrator(deps: WebSocketDependencies, extra: SocketExtra): Promise<boolean> {
  const { caller } = await identify(deps.sessions, extra.token, extra.log ?? (() => deps.logger), deps.metrics);
  return mayIntrospect(false, caller);
}
