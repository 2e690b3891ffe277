import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler } from "express";
import type { Config } from "./config";
import { bearerToken, identify, type RequestContext, type Services } from "./context";
import { startDatabase } from "./db/database";
import { ErrorCode, toContractError } from "./errors";
import { validationRules } from "./graphql/validation-rules";
import { ideRouter } from "./ide/ide-router";
import { consoleLogger, type Logger } from "./logger";
import { attachWebSocketServer } from "./realtime/ws-server";
import { buildAppSchema } from "./schema";
import { startServices } from "./services";
import { clientIp } from "./sessions/client-ip";

export const GRAPHQL_PATH = "/graphql";

export interface RunningServer {
  port: number;
  /** http://host:port of this server. */
  url: string;
  /** The wired domain, for tests and benchmarks that need to observe it. */
  services: Services;
  stop(): Promise<void>;
}

/** Body-parser failures (too large, not JSON) answered in GraphQL's shape with the contract's code. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" ? error.status : 0;
  if (status < 400 || status >= 500) return next(error);
  res.status(status).json({ errors: [{ message: status === 413 ? "Request body too large." : "Malformed request body.", extensions: { code: ErrorCode.BadUserInput } }] });
};

/** Database, services, HTTP (Apollo) and WebSocket (graphql-ws) on one port; stop() undoes all of it. */
export async function startServer(config: Config, logger: Logger = consoleLogger): Promise<RunningServer> {
  const database = await startDatabase(config);
  const running = await startServices(config, database, logger).catch(async (error) => {
    await database.stop();
    throw error;
  });
  const { services } = running;
  const schema = await buildAppSchema();
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const ws = attachWebSocketServer(httpServer, schema, services, {
    path: GRAPHQL_PATH,
    trustProxyHops: config.trustProxyHops,
    allowedOrigins: config.allowedOrigins,
    maxPayloadBytes: config.maxBodyBytes,
    log: logger.error,
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    // With introspection off, "Did you mean …?" would hand out the schema piece by piece.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    validationRules,
    includeStacktraceInErrorResponses: false,
    // Ours is the one shutdown (index.ts): Apollo's own re-raises the signal and skips the database.
    stopOnTerminationSignals: false,
    formatError: (formatted, original) => toContractError(formatted, original, (e) => logger.error("request failed", e)),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      { async serverWillStart() { return { drainServer: () => ws.dispose() }; } },
    ],
  });
  await apollo.start();

  app.get("/healthz", async (_req, res) => {
    try {
      await database.dataSource.query("SELECT 1");
      res.json({ status: "ok", database: database.kind });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  app.use(GRAPHQL_PATH, ideRouter(GRAPHQL_PATH));
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: config.maxBodyBytes }),
    bodyErrors,
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => ({
        ...(await identify(services, bearerToken(req.headers.authorization))),
        client: {
          ipAddress: clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], config.trustProxyHops),
          userAgent: req.headers["user-agent"],
        },
        services,
      }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    port,
    services,
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop();
        await running.stop();
        await database.stop();
      })()),
  };
}
