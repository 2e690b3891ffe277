import type { SessionEnded } from "../sessions/session-ended";
import type { SessionEndedListener, SessionEventBus, SessionStartedListener } from "../sessions/session-event-bus";
import type { SessionStarted } from "../sessions/session-started";
import type { ServiceMetrics } from "./service-metrics";

/**
 * The bus, counting what passes: endings this instance commits (published here) and, once per
 * ending, how long after its commit it reached this instance's sockets.
 */
export class MeteredEventBus implements SessionEventBus {
  constructor(
    private readonly bus: SessionEventBus,
    private readonly metrics: ServiceMetrics,
  ) {
    bus.subscribe((event) => metrics.delivered(event.endedAt));
  }

  publish(events: SessionEnded[]): Promise<void> {
    this.metrics.ended(events);
    return this.bus.publish(events);
  }

  subscribe(listener: SessionEndedListener): () => void {
    return this.bus.subscribe(listener);
  }

  publishStarted(event: SessionStarted): Promise<void> {
    return this.bus.publishStarted(event);
  }

  subscribeStarted(listener: SessionStartedListener): () => void {
    return this.bus.subscribeStarted(listener);
  }

  onResync(listener: () => void): void {
    this.bus.onResync(listener);
  }

  connected(): boolean {
    return this.bus.connected();
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
