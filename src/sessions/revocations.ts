import type { DataSource } from "typeorm";
import type { Role } from "../domain/role";
import type { Logger } from "../logging/logger";
import { LogCursor } from "./log-cursor";
import { lastRevocationId, readRecentRevocations, readRevocationsAfter, type Revocation } from "./revocation-store";
import { RevocationSet } from "./revocation-set";
import type { SessionEnded } from "./session-ended";
import type { SessionEventBus } from "./session-event-bus";

/** What the auth check may conclude about a session without the database. */
export type Verdict = "ended" | "active" | "ask-database";

export interface RevocationsOptions {
  /** How long an ending matters: the longest an access token of the session may still be valid. */
  memorySeconds: number;
  /** How often the log is read for what the bus did not bring. */
  catchUpIntervalMs: number;
  /** Whether the bus carries every instance's endings (Redis, or there is no other instance). */
  hearsEveryInstance: boolean;
}

export interface CatchUpObserver {
  /** An ending that reached this instance only through the log, `seconds` after it was logged. */
  caughtUp(seconds: number): void;
}

const PAGE = 5000;

/**
 * This instance's knowledge of which sessions ended and whose role changed, so that checking a
 * token needs no database. The bus brings news at once; the revocation log (the database's own
 * ordered record) is read at start, after every bus reconnect and on an interval, so a lost
 * message delays the news by at most one interval. While the bus is down, or a claim from it is
 * unconfirmed, the answer is "ask the database": it fails closed, never open.
 */
export class Revocations {
  private readonly known: RevocationSet;
  private readonly cursor = new LogCursor();
  private readonly listeners = new Set<(event: SessionEnded) => void>();
  private readonly roleListeners = new Set<(userId: string) => void>();
  private loaded = false;
  /** Bumped on every bus reconnect; memory is trusted again after a catch-up that began later. */
  private resyncs = 0;
  private caughtUpThrough = 0;
  private lastCaughtUpAt = 0;
  private running: Promise<void> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: DataSource,
    private readonly bus: SessionEventBus,
    private readonly options: RevocationsOptions,
    private readonly logger: Logger,
    private readonly observer: CatchUpObserver,
  ) {
    this.known = new RevocationSet(options.memorySeconds * 1000);
    this.unsubscribe = bus.subscribe((event) => this.learn(event));
    bus.onResync(() => {
      this.resyncs++;
      void this.catchUp();
    });
  }

  /** Reads the last token lifetime's entries; until then every check asks the database. */
  async load(): Promise<void> {
    const entries = await readRecentRevocations(this.db.manager, this.options.memorySeconds);
    // Older entries concern no valid token: the log is read from its newest one on.
    if (entries.length === 0) this.cursor.saw([await lastRevocationId(this.db.manager)], Date.now());
    this.apply(entries, false);
    this.loaded = true;
    this.lastCaughtUpAt = Date.now();
  }

  start(): void {
    this.timer = setInterval(() => {
      this.known.prune();
      void this.catchUp();
    }, this.options.catchUpIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.running;
  }

  /** Endings as this instance first learns of them, from the bus or the log; each once. */
  onEnded(listener: (event: SessionEnded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Users whose role changed, as this instance reads it in the log. */
  onRoleChanged(listener: (userId: string) => void): () => void {
    this.roleListeners.add(listener);
    return () => this.roleListeners.delete(listener);
  }

  verdict(sessionId: string): Verdict {
    if (this.known.isEnded(sessionId)) return "ended";
    if (!this.trusted() || this.known.isSuspect(sessionId)) return "ask-database";
    return "active";
  }

  roleOf(userId: string): Role | undefined {
    return this.known.roleOf(userId);
  }

  /** Whether a session not known to have ended can be taken as active without asking the database. */
  trusted(): boolean {
    return this.options.hearsEveryInstance && this.loaded && this.bus.connected() && this.caughtUpThrough === this.resyncs;
  }

  /** Whether events from other instances can arrive now. */
  busConnected(): boolean {
    return this.bus.connected();
  }

  /** Another instance says these ended; until the database confirms, they are checked there. */
  suspect(sessionIds: string[]): void {
    this.known.suspect(sessionIds);
  }

  /** The database's answer to a claim: the confirmed are learned, the rest are no longer suspect. */
  settle(claimed: string[], confirmed: SessionEnded[]): void {
    for (const event of confirmed) this.learn(event);
    for (const id of claimed) this.known.clearSuspect(id);
  }

  get tracked(): number {
    return this.known.size;
  }

  /** Seconds since the log was last read in full. */
  get secondsBehind(): number {
    return this.lastCaughtUpAt ? (Date.now() - this.lastCaughtUpAt) / 1000 : Infinity;
  }

  /** Reads what the log has that this instance has not seen; concurrent calls share one read, and one more follows it. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.readLog().finally(() => {
      this.running = null;
      if (this.rerun) {
        this.rerun = false;
        void this.catchUp();
      }
    });
    return this.running;
  }

  private async readLog(): Promise<void> {
    const resyncs = this.resyncs;
    try {
      if (!this.loaded) await this.load();
      for (;;) {
        const entries = await readRevocationsAfter(this.db.manager, this.cursor.after, this.cursor.missing, PAGE);
        this.apply(entries, true);
        if (entries.length < PAGE) break;
      }
      this.caughtUpThrough = resyncs;
      this.lastCaughtUpAt = Date.now();
    } catch (error) {
      this.logger.warn({ err: error }, "could not read the revocation log; will retry");
    }
  }

  private apply(entries: Revocation[], late: boolean): void {
    this.cursor.saw(
      entries.map((e) => e.id),
      Date.now(),
    );
    for (const entry of entries) {
      if (entry.kind === "role") {
        this.known.setRole(entry.userId, entry.role, entry.id);
        for (const listener of this.roleListeners) listener(entry.userId);
      } else if (this.learn(entry.ended) && late) {
        this.observer.caughtUp(Math.max(0, (Date.now() - entry.at.getTime()) / 1000));
      }
    }
  }

  private learn(event: SessionEnded): boolean {
    if (!this.known.addEnded(event.sessionId)) return false;
    for (const listener of this.listeners) listener(event);
    return true;
  }
}
