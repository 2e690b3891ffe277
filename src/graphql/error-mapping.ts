import { GraphQLError, type GraphQLFormattedError } from "graphql";
import {
  DomainError,
  Forbidden,
  InvalidCredentials,
  InvalidInput,
  NotFound,
  RateLimited,
  SessionHasEnded,
  Unauthenticated,
  Unavailable,
} from "../domain/errors";
import { isConnectionFailure } from "../db/connection-failure";

/** The contract's closed set of error codes (docs/api.md, "Errors"). */
export enum ErrorCode {
  Unauthenticated = "UNAUTHENTICATED",
  Forbidden = "FORBIDDEN",
  NotFound = "NOT_FOUND",
  BadUserInput = "BAD_USER_INPUT",
  RateLimited = "RATE_LIMITED",
  InternalServerError = "INTERNAL_SERVER_ERROR",
}

type Extensions = Record<string, unknown>;

/** Each domain error's code and the extensions a client may act on. */
function domainExtensions(error: DomainError): Extensions | null {
  if (error instanceof SessionHasEnded) return { code: ErrorCode.Unauthenticated, reason: error.reason, endedAt: error.endedAt.toISOString() };
  if (error instanceof Unauthenticated || error instanceof InvalidCredentials) return { code: ErrorCode.Unauthenticated };
  if (error instanceof Forbidden) return { code: ErrorCode.Forbidden };
  if (error instanceof NotFound) return { code: ErrorCode.NotFound };
  if (error instanceof InvalidInput) return { code: ErrorCode.BadUserInput, ...(error.field ? { field: error.field } : {}) };
  if (error instanceof RateLimited) return { code: ErrorCode.RateLimited, retryAfterSeconds: error.retryAfterSeconds };
  // Deliberate, so it keeps its message; retryable, unlike UNAUTHENTICATED.
  if (error instanceof Unavailable) return { code: ErrorCode.InternalServerError, retryable: true };
  return null;
}

// Codes that graphql-js, Apollo and type-graphql give requests that never reached a resolver
// (or whose arguments failed validation): all of them are the client's input.
const CLIENT_INPUT_CODES = new Set([
  "BAD_USER_INPUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PERSISTED_QUERY_NOT_FOUND",
]);

/** The error a resolver threw, below graphql-js's located wrapper. */
function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * The code the GraphQL layer gave a request it refused as the client's input (a syntax error,
 * an unknown field or operation name, a bad variable), or null. Read on the outermost error:
 * Apollo wraps graphql-js's error in one of its own, and only the wrapper carries the code.
 */
export function clientInputCode(error: unknown): string | null {
  const original = unwrap(error);
  if (!(error instanceof GraphQLError) || !(original instanceof GraphQLError) || original instanceof DomainError) return null;
  const code = String(error.extensions?.code ?? "");
  return CLIENT_INPUT_CODES.has(code) ? code : null;
}

/** Whether the error is one nobody raised on purpose: a bug or a failure to log in full. */
export function isUnexpected(error: unknown): boolean {
  const original = unwrap(error);
  // Logged in full for the operator, though the client is only told to retry.
  if (isConnectionFailure(original)) return true;
  if (original instanceof DomainError) return domainExtensions(original) === null;
  return clientInputCode(error) === null;
}

/**
 * The one way out for every error: a contract code and nothing else from inside (no stack, no
 * SQL, no driver message). Domain errors map by class; GraphQL's own input errors become
 * BAD_USER_INPUT with their code kept as `reason`; anything else is logged and masked.
 */
export function toContractError(formatted: GraphQLFormattedError, error: unknown, logUnexpected: (error: unknown) => void = () => undefined): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  const original = unwrap(error);
  // A database out of reach is the same retryable failure wherever it surfaced, not a bug to mask.
  if (isConnectionFailure(original)) {
    logUnexpected(error);
    const unavailable = new Unavailable();
    return { ...base, message: unavailable.message, extensions: domainExtensions(unavailable)! };
  }
  if (original instanceof DomainError) {
    const extensions = domainExtensions(original);
    if (extensions) return { ...base, message: original.message, extensions };
  }
  const code = String(formatted.extensions?.code ?? "");
  if (!(original instanceof DomainError) && original instanceof GraphQLError && CLIENT_INPUT_CODES.has(code)) {
    const { stacktrace: _stack, code: _code, ...rest } = formatted.extensions ?? {};
    const reason = code === ErrorCode.BadUserInput ? {} : { reason: code };
    return { ...base, message: formatted.message, extensions: { ...rest, code: ErrorCode.BadUserInput, ...reason } };
  }
  logUnexpected(error);
  return { ...base, message: "Internal server error.", extensions: { code: ErrorCode.InternalServerError } };
}
