import type { SocketContext } from "../../graphql/context";
import type { Logger } from "../../logging/logger";
import type { ServiceMetrics } from "../../metrics/service-metrics";
import type { ConnectionRegistry } from "../../realtime/connection-registry";
import type { SessionFeeds } from "../../realtime/session-feeds";
import type { SessionService } from "../../sessions/session-service";
import { identify } from "../request-auth";
import type { ExecutionArgs } from "graphql";
import type { SocketExtra } from "./on-connect";

export interface ContextDependencies {
  sessions: SessionService;
  connections: ConnectionRegistry;
  feeds: SessionFeeds;
  metrics: ServiceMetrics;
  logger: Logger;
}

/** Each operation's context: the session is checked again, as an HTTP request's would be. */
export function socketContext(deps: ContextDependencies) {
  const { sessions, connections, feeds, metrics, logger } = deps;
  return async (ctx: { extra: SocketExtra }, id: string, _payload: unknown, args: ExecutionArgs): Promise<SocketContext> => {
    const log = ctx.extra.log ?? (() => logger);
    const connection = ctx.extra.connection;
    const context: SocketContext = {
      ...(await identify(sessions, ctx.extra.token, log, metrics)),
      client: ctx.extra.client ?? { ipAddress: "0.0.0.0", userAgent: undefined },
      get log() {
        return log();
      },
      connection: connection && {
        // What the end of the session is written with, for this subscription (see ending-frames.ts).
        ending: () => connections.watch(connection, { id, args: { ...args, contextValue: context } }),
        changes: (userId) => feeds.open(userId, connection.sessionId),
      },
    };
    return context;
  };
}
