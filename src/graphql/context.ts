import type { SessionEntity } from "../db/entities/session.entity";
import type { Caller, ClientInfo } from "../domain/caller";
import type { SessionChangeEvent } from "../domain/session-change-event";
import type { SessionEnded } from "../domain/session-ended";
import type { Unavailable } from "../domain/errors";
import type { Logger } from "../logging/logger";

/**
 * What every resolver sees, over HTTP and over WebSocket alike. `Connection` is what the
 * transport adds: the WebSocket adapter puts its live connection there, HTTP nothing.
 */
export interface RequestContext<Connection = unknown> {
  /** Null when the request carries no valid access token of an active session. */
  caller: Caller | null;
  /** Set when the session could not be checked at all (database unreachable): fail closed, retryably. */
  authFailure?: Unavailable;
  client: ClientInfo;
  /** This request's logger: its fields name the request and, once known, the caller. */
  log: Logger;
  connection?: Connection;
}

/**
 * What the WebSocket edge adds to the context: the ending of the session the socket
 * authenticated with, and the changes to its user's sessions.
 */
export interface SocketSession {
  ending(): Promise<AsyncIterableIterator<SessionEnded>>;
  changes(userId: string): AsyncIterableIterator<SessionChangeEvent<SessionEntity>>;
}

/** An operation's context on the WebSocket. */
export type SocketContext = RequestContext<SocketSession>;
