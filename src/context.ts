import type { AccountService } from "./accounts/account-service";
import type { LiveConnection } from "./realtime/live-connection";
import type { LiveSessions } from "./realtime/live-sessions";
import type { SessionManager } from "./sessions/session-manager";
import type { Caller, ClientInfo, SessionService } from "./sessions/session-service";

export interface Services {
  accounts: AccountService;
  sessions: SessionService;
  manager: SessionManager;
  live: LiveSessions;
}

/** What every resolver sees, over HTTP and over WebSocket alike. */
export interface RequestContext {
  /** Null when the request carries no valid access token of an active session. */
  caller: Caller | null;
  /** The session could not be checked (database unreachable): fail closed, but not as UNAUTHENTICATED. */
  authUnavailable?: boolean;
  client: ClientInfo;
  services: Services;
  /** The WebSocket connection an operation arrived on; absent over HTTP. */
  connection?: LiveConnection;
}

/**
 * The caller behind a token. A database failure must not look like a bad token, or clients
 * would throw away good credentials during an outage: it is reported as such instead.
 */
export async function identify(services: Services, token: string | null | undefined): Promise<Pick<RequestContext, "caller" | "authUnavailable">> {
  try {
    return { caller: await services.sessions.authenticate(token) };
  } catch {
    return { caller: null, authUnavailable: true };
  }
}

/** The token from an `Authorization: Bearer <token>` value; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string") return null;
  // The scheme name is case-insensitive (RFC 7235 §2.1); the token is not.
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  return match ? match[1] : null;
}
