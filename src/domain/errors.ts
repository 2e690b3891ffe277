import type { EndReason } from "./end-reason";

/**
 * What the domain says when an operation cannot go on. Services throw these and never a
 * GraphQL error: the edge (src/graphql/error-mapping.ts) turns each class into the contract's
 * code, so the same failure reads the same over HTTP, over WebSocket and on the command line.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No valid access token of an active session, or a refresh token that is unknown, spent or expired. */
export class Unauthenticated extends DomainError {
  constructor(message = "Not authenticated.") {
    super(message);
  }
}

/**
 * A refresh token of a session that has ended: the presenter holds that session's token, so it
 * is that device, and learns why and when its own session ended (docs/api.md, Change 12).
 */
export class SessionHasEnded extends Unauthenticated {
  constructor(
    readonly reason: EndReason,
    readonly endedAt: Date,
  ) {
    super("This session has ended.");
  }
}

/** Wrong email or password at login: one message for both, so it does not say which. */
export class InvalidCredentials extends DomainError {
  constructor() {
    super("Invalid email or password.");
  }
}

export class Forbidden extends DomainError {
  constructor(message = "Not allowed.") {
    super(message);
  }
}

/** What the caller named does not exist, or is not theirs to see (the two must read alike). */
export class NotFound extends DomainError {
  constructor(what: string) {
    super(`${what} not found.`);
  }
}

/** Input the caller can correct; `field` names the argument when one is to blame. */
export class InvalidInput extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many failed attempts. Try again later.");
  }
}

/** A dependency (the database) did not answer: the caller's credentials may be fine, so try again. */
export class Unavailable extends DomainError {
  constructor() {
    super("Service temporarily unavailable. Try again.");
  }
}
