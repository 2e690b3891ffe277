import type { Caller } from "../domain/caller";
import { Unavailable } from "../domain/errors";
import type { Logger } from "../logging/logger";
import type { SessionService } from "../sessions/session-service";

/** The token from an `Authorization: Bearer <token>` value; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string") return null;
  // The scheme name is case-insensitive (RFC 7235 §2.1); the token is not.
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  return match ? match[1] : null;
}

export interface Identified {
  caller: Caller | null;
  /** The session could not be checked: a database failure must not look like a bad token. */
  authFailure?: Unavailable;
}

/**
 * The caller behind a token, for one HTTP request or WebSocket operation. During an outage
 * clients must keep their credentials, so a failed check is reported as such, not as a bad token.
 */
export async function identify(sessions: SessionService, token: string | null | undefined, log: Logger): Promise<Identified> {
  try {
    return { caller: await sessions.authenticate(token) };
  } catch (error) {
    log.warn({ err: error }, "could not check the session: database unavailable");
    return { caller: null, authFailure: new Unavailable() };
  }
}
