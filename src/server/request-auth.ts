import { performance } from "node:perf_hooks";
import type { Caller } from "../domain/caller";
import { Unavailable } from "../domain/errors";
import type { Logger } from "../logging/logger";
import type { ServiceMetrics } from "../metrics/service-metrics";
import type { SessionService } from "../sessions/session-service";

/** The token from an `Authorization: Bearer <token>` value; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string") return null;
  // The scheme name is case-insensitive (RFC 7235 §2.1); the token is not.
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  return match ? match[1] : null;
}

/**
 * The one Authorization header of a request. Node keeps the first of several; which of them a
 * proxy in front of us believed is anyone's guess, so a request with two names no token.
 */
export function soleAuthorization(rawHeaders: string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== "authorization") continue;
    if (found !== undefined) return undefined;
    found = rawHeaders[i + 1];
  }
  return found;
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
export async function identify(sessions: SessionService, token: string | null | undefined, log: Logger | (() => Logger), metrics: ServiceMetrics): Promise<Identified> {
  // No token, nothing to check (nor to time: the histogram is of checks).
  if (!token) return { caller: null };
  const logger = () => (typeof log === "function" ? log() : log);
  try {
    const started = performance.now();
    const caller = await sessions.authenticate(token);
    metrics.authCheck((performance.now() - started) / 1000);
    // A security event: a forged, expired or ended-session token. Never the token itself.
    if (!caller) logger().warn({ event: "access_token_refused" }, "access token refused");
    return { caller };
  } catch (error) {
    logger().warn({ err: error }, "could not check the session: database unavailable");
    return { caller: null, authFailure: new Unavailable() };
  }
}
