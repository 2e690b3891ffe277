/** A GraphQL error from the service, with its contract code (UNAUTHENTICATED, NOT_FOUND, …) and extensions. */
export class SessionServiceError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = "SessionServiceError";
  }
}

/** The service could not be reached (or answered something that is not GraphQL): try again later. */
export class ServiceUnreachable extends Error {
  constructor(readonly cause?: unknown) {
    super("The session service cannot be reached.");
    this.name = "ServiceUnreachable";
  }
}
