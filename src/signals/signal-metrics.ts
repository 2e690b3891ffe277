import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { EventKind } from "./security-events";

/** delivered: 202 (push) or acknowledged (poll); refused: the receiver's 400 or setErrs; failed: retried later; expired: past SIGNALS_RETRY_HOURS. */
export type DeliveryOutcome = "delivered" | "refused" | "failed" | "expired";

/** The transmitter's metrics, in the service's registry. */
export class SignalMetrics {
  private readonly events: Counter<"type" | "outcome">;
  private readonly latency: Histogram<"method">;

  constructor(registry: Registry, pendingByStream: () => Promise<{ streamId: string; pending: number }[]>) {
    this.events = new Counter({
      name: "session_service_signal_events_total",
      help: "Security events by type and delivery outcome (delivered, refused, failed attempts, expired).",
      labelNames: ["type", "outcome"] as const,
      registers: [registry],
    });
    this.latency = new Histogram({
      name: "session_service_signal_delivery_seconds",
      help: "From an event's commit to its delivery: the receiver's 202 (push) or its hand-out in a poll response.",
      labelNames: ["method"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    new Gauge({
      name: "session_service_signal_pending",
      help: "Events not yet delivered (push) or acknowledged (poll), by stream.",
      labelNames: ["stream"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const { streamId, pending } of await pendingByStream().catch(() => [])) this.set({ stream: streamId }, pending);
      },
    });
  }

  outcome(kind: EventKind, outcome: DeliveryOutcome): void {
    this.events.inc({ type: kind, outcome });
  }

  delivered(method: "push" | "poll", seconds: number): void {
    this.latency.observe({ method }, Math.max(0, seconds));
  }
}
