// SQLSTATE classes and codes that mean "the database could not be reached or went away",
// not "the statement was wrong": 08 connection exception, 57P01-57P03 shutdown and start-up,
// 53300 too many connections, 57014 a statement cancelled (a timeout).
const UNREACHABLE_STATES = /^(08...|57P0[123]|53300|57014)$/;

// What pg and the socket layer say when the connection itself fails.
const UNREACHABLE_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// TypeORM's, when a transaction goes on after its connection died under it.
const RELEASED_RUNNER_ERRORS = new Set(["QueryRunnerAlreadyReleasedError", "QueryRunnerProviderAlreadyReleasedError"]);
// "Query read timeout": pg's query_timeout, a database that stopped answering.
const UNREACHABLE_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection is closed|the database system is (starting up|shutting down)|Query read timeout/i;

/**
 * Whether an error means the database is out of reach for now, so the request may be retried
 * as it is. TypeORM wraps driver errors (QueryFailedError.driverError); pg throws its own.
 */
export function isConnectionFailure(error: unknown): boolean {
  // Duck-typed: an Error from another realm (a worker, a test sandbox) is still one.
  for (let current = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    const { code, name, message, driverError, cause } = current as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === "string" && (UNREACHABLE_STATES.test(code) || UNREACHABLE_ERRNOS.has(code))) return true;
    if (RELEASED_RUNNER_ERRORS.has(String(name)) || UNREACHABLE_MESSAGES.test(String(message))) return true;
    current = driverError ?? cause;
  }
  return false;
}
