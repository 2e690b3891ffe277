import { GraphQLError } from "graphql";

/** The contract's closed set of error codes (API.md, "Errors"). */
export enum ErrorCode {
  Unauthenticated = "UNAUTHENTICATED",
  Forbidden = "FORBIDDEN",
  NotFound = "NOT_FOUND",
  BadUserInput = "BAD_USER_INPUT",
  RateLimited = "RATE_LIMITED",
  InternalServerError = "INTERNAL_SERVER_ERROR",
}

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));

function error(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** One message for every authentication failure: it must not say which check failed. */
export const unauthenticated = (message = "Not authenticated.") => error(ErrorCode.Unauthenticated, message);
export const invalidCredentials = () => error(ErrorCode.Unauthenticated, "Invalid email or password.");
export const forbidden = (message = "Not allowed.") => error(ErrorCode.Forbidden, message);
export const notFound = (what: string) => error(ErrorCode.NotFound, `${what} not found.`);
export const badUserInput = (message: string) => error(ErrorCode.BadUserInput, message);
/** Deliberate, so it keeps its message; retryable, unlike UNAUTHENTICATED. */
export const serviceUnavailable = () =>
  new GraphQLError("Service temporarily unavailable. Try again.", { extensions: { code: ErrorCode.InternalServerError, retryable: true } });
export const rateLimited = (retryAfterSeconds: number) =>
  error(ErrorCode.RateLimited, "Too many failed attempts. Try again later.", { retryAfterSeconds });

// Apollo's own codes for requests that never reached a resolver: all are the client's input.
const CLIENT_INPUT_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "OPERATION_RESOLUTION_FAILURE", "PERSISTED_QUERY_NOT_SUPPORTED", "PERSISTED_QUERY_NOT_FOUND"]);

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * Every error leaves with a contract code and nothing else from inside: no stack, no SQL,
 * no driver message. Anything we did not raise on purpose is logged and masked.
 */
export function toContractError(formatted: FormattedError, original: unknown, log: (e: unknown) => void): FormattedError {
  const code = String(formatted.extensions?.code ?? "");
  const base = { locations: formatted.locations, path: formatted.path };
  const deliberate = code === ErrorCode.InternalServerError && formatted.extensions?.retryable === true;
  if (CONTRACT_CODES.has(code) && (code !== ErrorCode.InternalServerError || deliberate)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions: { ...extensions, code } };
  }
  if (CLIENT_INPUT_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BadUserInput, reason: code } };
  }
  log(original);
  return { ...base, message: "Internal server error.", extensions: { code: ErrorCode.InternalServerError } };
}
