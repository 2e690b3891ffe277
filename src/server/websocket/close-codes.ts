import { CloseCode } from "graphql-ws";

/**
 * Every close code this service sends, chosen here at the edge and nowhere below it. graphql-ws's
 * client treats its own 4xxx codes as fatal, RFC 6455's 1xxx as worth a reconnect.
 */
export const SocketClose = {
  /** RFC 6455 "going away": the server is shutting down; clients should reconnect. */
  GoingAway: 1001,
  /** The socket's session ended (or its token is bad): do not come back with it. */
  SessionEnded: CloseCode.Forbidden,
  /** Over a cap on sockets or handshakes. */
  TooMany: CloseCode.TooManyInitialisationRequests,
} as const;
