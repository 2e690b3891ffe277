import type { DataSource } from "typeorm";
import type { Logger } from "../logging/logger";
import { touchSessions } from "./session-store";

/**
 * `lastActiveAt` off the request path: requests mark their session as seen, and one UPDATE a
 * second writes every marked session at once. A session is marked only when its stored time is
 * older than LAST_ACTIVE_RESOLUTION_SECONDS, so each is written at most that often; a failed
 * write is dropped (the next request marks it again), never retried inside a request.
 */
export class LastActiveWriter {
  private readonly marked = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  mark(sessionId: string): void {
    this.marked.add(sessionId);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Writes what is marked now, in one statement. */
  flush(): Promise<void> {
    if (this.marked.size === 0) return this.writing;
    const ids = [...this.marked];
    this.marked.clear();
    this.writing = this.writing
      .then(() => touchSessions(this.db.manager, ids))
      .catch((error) => this.logger.warn({ err: error, sessions: ids.length }, "could not record session activity"));
    return this.writing;
  }

  /** Stops the timer and writes what is still marked. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
