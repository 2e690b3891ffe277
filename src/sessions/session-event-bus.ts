import type { SessionEnded } from "./session-ended";
import type { SessionStarted } from "./session-started";

export type SessionEndedListener = (event: SessionEnded) => void;
export type SessionStartedListener = (event: SessionStarted) => void;

/**
 * Carries committed session endings (and starts, for live session lists) to every instance. It
 * only makes the news arrive sooner: the database stays the truth, and each instance reads what
 * the bus lost from the revocation log.
 * Implemented here for one process, and in realtime/ over Redis for several.
 */
export interface SessionEventBus {
  /** Delivers to this instance's listeners at once, and to other instances where there are any. */
  publish(events: SessionEnded[]): Promise<void>;
  subscribe(listener: SessionEndedListener): () => void;
  /** Like publish, for new sessions: a start that is lost only delays a list, so no catch-up. */
  publishStarted(event: SessionStarted): Promise<void>;
  subscribeStarted(listener: SessionStartedListener): () => void;
  /** Called when the bus may have missed events (e.g. after a Redis reconnect). */
  onResync(listener: () => void): void;
  /** Whether events from other instances can arrive now. */
  connected(): boolean;
  close(): Promise<void>;
}

/** The single-instance bus: listeners in this process only. */
export class InProcessSessionEventBus implements SessionEventBus {
  protected readonly listeners = new Set<SessionEndedListener>();
  protected readonly resyncListeners = new Set<() => void>();
  protected readonly startedListeners = new Set<SessionStartedListener>();

  async publish(events: SessionEnded[]): Promise<void> {
    this.deliver(events);
  }

  subscribe(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publishStarted(event: SessionStarted): Promise<void> {
    this.deliverStarted(event);
  }

  subscribeStarted(listener: SessionStartedListener): () => void {
    this.startedListeners.add(listener);
    return () => this.startedListeners.delete(listener);
  }

  onResync(listener: () => void): void {
    this.resyncListeners.add(listener);
  }

  connected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.resyncListeners.clear();
    this.startedListeners.clear();
  }

  protected deliver(events: SessionEnded[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  protected deliverStarted(event: SessionStarted): void {
    for (const listener of this.startedListeners) listener(event);
  }

  protected resync(): void {
    for (const listener of this.resyncListeners) listener();
  }
}
