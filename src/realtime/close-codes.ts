/** WebSocket close codes this service uses beyond graphql-ws's own (API.md, "Ending sessions and the live push"). */
export enum SessionCloseCode {
  /** The session this connection authenticated with has ended, or it never had a valid one. */
  Forbidden = 4403,
  /** The server is shutting down; clients should reconnect. */
  GoingAway = 1001,
}
