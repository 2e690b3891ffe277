import type { Logger } from "../../logging/logger";
import { LogCursor } from "./log-cursor";
import type { Clock, Revocation, RevocationSource } from "./revocation-source";

const PAGE = 5000;

/**
 * Reads the revocation log in id order: the last token lifetime's entries at load, then what
 * follows (and what was skipped, see LogCursor) on every catch-up. It knows whether it has read
 * the log in full since the last resync, which is when the gate may trust its memory again.
 */
export class LogReader {
  private readonly cursor = new LogCursor();
  private loaded = false;
  /** Bumped on every resync; the log counts as read after a catch-up that began later. */
  private resyncs = 0;
  private caughtUpThrough = 0;
  private lastReadAt = 0;
  private running: Promise<void> | null = null;
  private rerun = false;

  constructor(
    private readonly source: RevocationSource,
    private readonly clock: Clock,
    private readonly memorySeconds: number,
    /** Entries as they are read; `late` is false for those of the load (the past, not news). */
    private readonly apply: (entries: Revocation[], late: boolean) => void,
    private readonly logger: Logger,
  ) {}

  /** Reads the last token lifetime's entries. */
  async load(): Promise<void> {
    const entries = await this.source.recent(this.memorySeconds);
    // Older entries concern no valid token: the log is read from its newest one on.
    if (entries.length === 0) this.cursor.saw([await this.source.lastId()], this.clock.now());
    this.see(entries, false);
    this.loaded = true;
    this.lastReadAt = this.clock.now();
  }

  /** News may have been lost: the log is not read in full until a catch-up that begins now. */
  resynced(): void {
    this.resyncs++;
  }

  /** Loaded, and read in full since the last resync. */
  get current(): boolean {
    return this.loaded && this.caughtUpThrough === this.resyncs;
  }

  /** Seconds since the log was last read in full. */
  get secondsBehind(): number {
    return this.lastReadAt ? (this.clock.now() - this.lastReadAt) / 1000 : Infinity;
  }

  /** Reads what the log has that was not seen; concurrent calls share one read, and one more follows it. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.readOn().finally(() => {
      this.running = null;
      if (this.rerun) {
        this.rerun = false;
        void this.catchUp();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    await this.running;
  }

  private async readOn(): Promise<void> {
    const resyncs = this.resyncs;
    try {
      if (!this.loaded) await this.load();
      for (;;) {
        const entries = await this.source.after(this.cursor.after, this.cursor.missing, PAGE);
        this.see(entries, true);
        if (entries.length < PAGE) break;
      }
      this.caughtUpThrough = resyncs;
      this.lastReadAt = this.clock.now();
    } catch (error) {
      this.logger.warn({ err: error }, "could not read the revocation log; will retry");
    }
  }

  private see(entries: Revocation[], late: boolean): void {
    this.cursor.saw(
      entries.map((e) => e.id),
      this.clock.now(),
    );
    this.apply(entries, late);
  }
}
