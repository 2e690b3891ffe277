import { ConfigError } from "./config";
import { DatabaseUnreachable } from "./db/database";
import { DataDirInUseError } from "./db/data-dir-lock";
import { RedisUnreachable } from "./realtime/redis-session-event-bus";
import { PortInUse } from "./server/port-check";
import { SignalKeyError } from "./signals/signing-key";

/**
 * Mistakes an operator can fix: each already says what failed and what to do, so it is
 * reported as that one line. Anything else at start-up is a bug and keeps its stack.
 */
export function isOperatorError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof PortInUse ||
    error instanceof DatabaseUnreachable ||
    error instanceof DataDirInUseError ||
    error instanceof RedisUnreachable ||
    error instanceof SignalKeyError
  );
}
