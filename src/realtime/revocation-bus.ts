import type { RevocationEvent } from "../sessions/revocation-event";

export type RevocationListener = (event: RevocationEvent) => void;

/**
 * Carries committed session endings to every instance. It only speeds up the push: the
 * database stays the truth, and each instance re-checks its open sockets against it.
 */
export interface RevocationBus {
  /** Delivers to this instance's listeners at once, and to other instances where there are any. */
  publish(events: RevocationEvent[]): Promise<void>;
  subscribe(listener: RevocationListener): () => void;
  /** Called when the bus may have missed events (e.g. after a Redis reconnect). */
  onResync(listener: () => void): void;
  close(): Promise<void>;
}

/** The single-instance bus: listeners in this process only. */
export class InProcessRevocationBus implements RevocationBus {
  protected readonly listeners = new Set<RevocationListener>();
  protected readonly resyncListeners = new Set<() => void>();

  async publish(events: RevocationEvent[]): Promise<void> {
    this.deliver(events);
  }

  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onResync(listener: () => void): void {
    this.resyncListeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.resyncListeners.clear();
  }

  protected deliver(events: RevocationEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }
}
