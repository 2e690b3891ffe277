import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";
import type { Logger } from "../logging/logger";
import { touchSessions } from "./session-store";

/**
 * `lastActiveAt` off the request path: requests mark their session as seen, and one UPDATE a
 * second writes every marked session at once. A session is marked at most once per
 * LAST_ACTIVE_RESOLUTION_SECONDS by this instance, so each is written at most that often; a
 * failed write is dropped (a later request marks it again), never retried inside a request.
 */
export class LastActiveWriter {
  private readonly marked = new Set<string>();
  /**
   * When each session was last marked (ms, the monotonic clock: a step of the host's clock back
   * must not stop the marking), for the sessions marked within the resolution.
   */
  private readonly markedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private written: (sessionIds: string[]) => void = () => undefined;

  constructor(
    private readonly db: DataSource,
    private readonly intervalMs: number,
    private readonly resolutionMs: number,
    private readonly logger: Logger,
  ) {}

  mark(sessionId: string): void {
    const now = performance.now();
    const last = this.markedAt.get(sessionId);
    if (last !== undefined && now - last < this.resolutionMs) return;
    this.markedAt.set(sessionId, now);
    this.marked.add(sessionId);
  }

  /** Who holds copies of `lastActiveAt` (lists of sessions): told after each write. */
  onWritten(listener: (sessionIds: string[]) => void): void {
    this.written = listener;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Writes what is marked now, in one statement. */
  flush(): Promise<void> {
    const forgetBefore = performance.now() - this.resolutionMs;
    for (const [id, at] of this.markedAt) if (at < forgetBefore) this.markedAt.delete(id);
    if (this.marked.size === 0) return this.writing;
    const ids = [...this.marked];
    this.marked.clear();
    this.writing = this.writing
      .then(() => touchSessions(this.db.manager, ids))
      .then(() => this.written(ids))
      .catch((error) => this.logger.warn({ err: error, sessions: ids.length }, "could not record session activity"));
    return this.writing;
  }

  /** Stops the timer and writes what is still marked. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
