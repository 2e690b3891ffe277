import { CloseCode } from "graphql-ws";

/**
 * Every close code this service sends, chosen here at the edge and nowhere below it
 * (docs/api.md, "Live logout push" and Changes 7 and 8). graphql-ws's client retries RFC 6455's
 * 1xxx codes and treats its own 4xxx codes as final, so a refusal the client should try again
 * later must never be a 4xxx.
 */
export const SocketClose = {
  /** RFC 6455 "going away": the connection ends because the server does; clients reconnect. */
  GoingAway: 1001,
  /** On shutdown, after the operations in flight: reconnect (to this instance or another). */
  ServiceRestart: 1012,
  /** Over a cap or a rate, or the database cannot be reached at connection_init: retry later. */
  TryAgainLater: 1013,
  /** The token is bad or its session ended (the close reason then names the RevocationReason): do not come back with it. */
  Forbidden: CloseCode.Forbidden,
} as const;
