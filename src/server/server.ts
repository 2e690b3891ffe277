import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import type { RequestContext } from "../graphql/context";
import { toContractError } from "../graphql/error-mapping";
import { validationRules } from "../graphql/validation-rules";
import { ideRouter } from "../ide/ide-router";
import type { SignalTransmitter } from "../signals/transmitter";
import { ssfRoutes } from "./ssf-routes";
import { webAppRouter } from "./web-app";
import { metricsEndpoint } from "./metrics-endpoint";
import type { ServiceMetrics } from "../metrics/service-metrics";
import type { Logger } from "../logging/logger";
import type { ConnectionRegistry } from "../realtime/connection-registry";
import type { SessionFeeds } from "../realtime/session-feeds";
import type { SessionService } from "../sessions/session-service";
import { clientInfoOf } from "./client-info";
import { capConnectionsPerAddress, HTTP_SERVER_OPTIONS } from "./connection-cap";
import { PortInUse } from "./port-check";
import type { SocketLimits } from "./websocket/socket-caps";
import { bodyErrors, logUnexpectedErrors, operationMetrics } from "./http-errors";
import { corsFor, securityHeaders } from "./http-security";
import { introspectionSwitch } from "./introspection-switch";
import { bearerToken, identify, soleAuthorization, type Identified } from "./request-auth";
import type { Caller, ClientInfo } from "../domain/caller";
import type { Unavailable } from "../domain/errors";
import { attachWebSocketServer } from "./websocket/websocket-server";
import { fixedHeadersOf, graphqlPostHandler, isPlainGraphQLPost, noStore, type NodeMiddleware } from "./graphql-post";

export const GRAPHQL_PATH = "/graphql";

export interface ServerOptions {
  port: number;
  host: string;
  introspection: boolean;
  trustProxyHops: number;
  allowedOrigins: string[];
  /** The service's public origin; unset, its own origins are the loopback ones on its port (and HOST's). */
  publicUrl?: string;
  maxBodyBytes: number;
  /** Connections one address may hold when no proxy is trusted (see connection-cap.ts). */
  httpMaxConnectionsPerIp: number;
  hsts: boolean;
  socketLimits: SocketLimits;
  metricsToken?: string;
  metricsPort?: number;
  /** Where metricsPort listens (loopback by default: it asks for no token). */
  metricsHost: string;
}

export interface ServerDependencies {
  schema: GraphQLSchema;
  sessions: SessionService;
  connections: ConnectionRegistry;
  /** mySessionsChanged subscriptions, by user. */
  feeds: SessionFeeds;
  metrics: ServiceMetrics;
  /** The Shared Signals transmitter's endpoints (ssf-routes.ts). */
  signals: SignalTransmitter;
  /** Resolves when the database answers; rejects otherwise. */
  checkDatabase: () => Promise<unknown>;
  databaseKind: string;
  /** How endings reach this instance now: what /healthz reports beside the database. */
  revocationState: () => { bus: string; busKind: string; authCheck: string };
  logger: Logger;
}

export interface RunningServer {
  port: number;
  /** The port /metrics listens on alone, when METRICS_PORT is set. */
  metricsPort?: number;
  /** http://host:port of this server. */
  url: string;
  /** Where GraphQL is served (HTTP; the same path takes WebSocket upgrades). */
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * One HTTP request's context. Most requests log nothing, so the logger is made on first use;
 * it is a getter on the prototype because Apollo copies the context's own fields per operation.
 */
class HttpRequestContext implements RequestContext {
  caller: Caller | null;
  authFailure?: Unavailable;
  private callerLog?: Logger;

  constructor(
    identified: Identified,
    readonly client: ClientInfo,
    private readonly requestLog: () => Logger,
  ) {
    this.caller = identified.caller;
    if (identified.authFailure) this.authFailure = identified.authFailure;
  }

  get log(): Logger {
    const caller = this.caller;
    return (this.callerLog ??= caller ? this.requestLog().child({ userId: caller.userId, sessionId: caller.sessionId }) : this.requestLog());
  }
}

/** Who is asking and from where, with a logger that names the request (and its id in the response). */
async function requestContext(req: http.IncomingMessage, res: http.ServerResponse, trustProxyHops: number, deps: ServerDependencies): Promise<RequestContext> {
  const requestId = randomUUID();
  res.setHeader("X-Request-Id", requestId);
  const client = clientInfoOf(req, trustProxyHops);
  let requestLog: Logger | undefined;
  const logOf = () => (requestLog ??= deps.logger.child({ requestId, ip: client.ipAddress }));
  return new HttpRequestContext(await identify(deps.sessions, bearerToken(soleAuthorization(req.rawHeaders)), logOf, deps.metrics), client, logOf);
}

/** Apollo with our protections on and its own signal handling and landing page off. */
function apolloServer(schema: GraphQLSchema, httpServer: http.Server, ws: { dispose(): Promise<void> }, introspection: boolean, metrics: ServiceMetrics): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema,
    // Open here and closed per caller by introspectionSwitch: ADMINs may always introspect.
    introspection: true,
    validationRules,
    includeStacktraceInErrorResponses: false,
    // Ours is the one shutdown (index.ts): Apollo's own re-raises the signal and skips the rest.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => toContractError(formatted, error),
    plugins: [
      drainSocketsThenHttp(httpServer, ws),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of an authenticated API; its per-field hook would run on every field.
      ApolloServerPluginCacheControlDisabled(),
      introspectionSwitch(introspection),
      logUnexpectedErrors,
      operationMetrics(metrics),
    ],
  });
}

// Under the process's 10 s shutdown deadline, with the sockets' 5 s before it.
const HTTP_DRAIN_GRACE_MS = 4_000;

/**
 * The shutdown's order: the sockets first (their running operations answered, then 1012), then
 * HTTP (stop accepting, finish the requests in flight). Apollo runs drain hooks side by side, and
 * its HTTP drain ends every connection that has carried no request: an upgraded WebSocket is one,
 * so it would cut the sockets (1006) before their answers and their 1012 went out.
 */
function drainSocketsThenHttp(httpServer: http.Server, ws: { dispose(): Promise<void> }): ApolloServerPlugin<RequestContext> {
  const httpDrain = ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: HTTP_DRAIN_GRACE_MS });
  return {
    async serverWillStart(context) {
      const httpListener = await httpDrain.serverWillStart?.(context);
      return {
        async drainServer() {
          await ws.dispose();
          await httpListener?.drainServer?.();
        },
      };
    },
  };
}

/** Listens, or says in one line that the port is taken. */
function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUse(port, host) : error),
    );
    httpServer.listen(port, host, resolve);
  });
}

/** HTTP (Apollo) and WebSocket (graphql-ws) on one port; stop() closes both, not what they use. */
export async function startServer(options: ServerOptions, deps: ServerDependencies): Promise<RunningServer> {
  const { schema } = deps;
  const app = express();
  app.disable("x-powered-by");
  const headers = securityHeaders(options.hsts);
  const cors = corsFor(options.allowedOrigins);
  app.use(headers);
  // The API's common case skips Express (its routers and parsers cost more than the query); set once Apollo has started.
  let graphqlPost: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  // Filled in once the port is known.
  let acceptedOrigins: ReadonlySet<string> = new Set();
  const httpServer = http.createServer(HTTP_SERVER_OPTIONS, (req, res) => (graphqlPost && isPlainGraphQLPost(req, GRAPHQL_PATH) ? graphqlPost(req, res) : app(req, res)));
  if (options.trustProxyHops === 0) capConnectionsPerAddress(httpServer, options.httpMaxConnectionsPerIp);
  const ws = attachWebSocketServer(httpServer, schema, deps, {
    path: GRAPHQL_PATH,
    introspection: options.introspection,
    limits: options.socketLimits,
    trustProxyHops: options.trustProxyHops,
    acceptedOrigins: () => acceptedOrigins,
    maxPayloadBytes: options.maxBodyBytes,
  });
  const apollo = apolloServer(schema, httpServer, ws, options.introspection, deps.metrics);
  await apollo.start();

  if (options.metricsToken !== undefined) app.get("/metrics", metricsEndpoint(deps.metrics, options.metricsToken));
  // Set as shutdown begins: a balancer that checks health stops sending before the listener closes.
  let draining = false;
  app.get("/healthz", async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: "shutting down" });
      return;
    }
    try {
      await deps.checkDatabase();
      // Still 200 with the bus down: tokens are then checked in the database, which answers.
      res.json({ status: "ok", database: deps.databaseKind, ...deps.revocationState() });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  app.use(ssfRoutes(deps.signals, options.maxBodyBytes, deps.logger));
  // CORS first: the IDE's router would answer a preflight itself, without the grant.
  app.use(GRAPHQL_PATH, cors);
  app.use(GRAPHQL_PATH, ideRouter(GRAPHQL_PATH));
  app.use(webAppRouter());
  app.use(
    GRAPHQL_PATH,
    noStore,
    express.json({ limit: options.maxBodyBytes }),
    bodyErrors,
    expressMiddleware(apollo, { context: ({ req, res }) => requestContext(req, res, options.trustProxyHops, deps) }),
  );
  graphqlPost = graphqlPostHandler(apollo, {
    maxBodyBytes: options.maxBodyBytes,
    // helmet's headers do not depend on the request: set from a list instead of running it each time.
    middleware: [fixedHeadersOf(headers as unknown as NodeMiddleware), cors as unknown as NodeMiddleware, noStore],
    context: (req, res) => requestContext(req, res, options.trustProxyHops, deps),
  });

  try {
    await listen(httpServer, options.port, options.host);
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  acceptedOrigins = new Set([...ownOrigins(options, port), ...options.allowedOrigins]);
  const metricsServer = options.metricsPort === undefined ? undefined : await listenForMetrics(deps.metrics, options.metricsPort, options.metricsHost).catch(async (error) => {
    await apollo.stop().catch(() => undefined);
    throw error;
  });
  let stopping: Promise<void> | undefined;
  const url = `http://${options.host === "0.0.0.0" ? "localhost" : options.host}:${port}`;
  return {
    port,
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    metricsPort: metricsServer && (metricsServer.address() as AddressInfo).port,
    stop: () => {
      draining = true;
      return (stopping ??= Promise.all([apollo.stop(), metricsServer && new Promise((resolve) => metricsServer.close(resolve))]).then(() => undefined));
    },
  };
}

/** Where the service's own pages are served from: PUBLIC_URL, or else loopback and HOST on its port. */
function ownOrigins(options: ServerOptions, port: number): string[] {
  if (options.publicUrl) return [options.publicUrl];
  const hosts = ["localhost", "127.0.0.1", "[::1]"];
  if (!["0.0.0.0", "::", "localhost", "127.0.0.1", "::1"].includes(options.host)) hosts.push(options.host.includes(":") ? `[${options.host}]` : options.host);
  return hosts.map((host) => `http://${host}:${port}`);
}

/** /metrics alone, on a port of its own. */
async function listenForMetrics(metrics: ServiceMetrics, port: number, host: string): Promise<http.Server> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", metricsEndpoint(metrics, undefined));
  const server = http.createServer(app);
  await listen(server, port, host);
  return server;
}
