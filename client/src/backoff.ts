/**
 * How long a page waits before its next try at a server it cannot reach: exponential, capped,
 * and "full jitter" (a random point below the ceiling), so that the devices of a whole office,
 * cut off by one restart, do not all come back in the same second.
 */
export interface Backoff {
  /** The first ceiling. */
  baseMs: number;
  /** No wait is longer, however many tries have failed. */
  capMs: number;
  /** No wait is shorter: a try at once after a failure is rarely worth it. */
  floorMs: number;
}

export const RECONNECT_BACKOFF: Backoff = { baseMs: 1_000, capMs: 30_000, floorMs: 300 };

/** The wait before try `attempt` (0 for the first retry); `random` is in [0, 1). */
export function backoffDelay(attempt: number, backoff: Backoff = RECONNECT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(backoff.floorMs, Math.floor(random() * ceiling));
}
