import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the gauges read when Prometheus scrapes: counts the running service already keeps. */
export interface LiveCounts {
  openSockets(): number;
  /** sessionRevoked and mySessionsChanged subscriptions open on this instance. */
  subscriptions(): { sessionRevoked: number; mySessionsChanged: number };
  /** Whether the event bus between instances is connected (always, without Redis). */
  busConnected(): boolean;
  /** Whether tokens are checked from this instance's memory of endings (else: the database per request). */
  authFromMemory(): boolean;
  /** Endings, role changes and unconfirmed claims held in that memory. */
  revocationsTracked(): number;
  /** Seconds since the revocation log was last read in full. */
  revocationLogSecondsBehind(): number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (several services may share a
 * process in tests). Login outcomes and rate-limit refusals are the `login` operation's codes
 * in `graphql_operations_total`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations = new Counter({
    name: "session_service_graphql_operations_total",
    help: "GraphQL operations answered, by operation (its first field), transport and outcome (OK or the contract's error code).",
    labelNames: ["operation", "transport", "code"] as const,
    registers: [this.registry],
  });
  private readonly authChecks = new Histogram({
    name: "session_service_auth_check_seconds",
    help: "Time to decide who a bearer token belongs to (signature and session check).",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  private readonly endings = new Counter({
    name: "session_service_session_endings_total",
    help: "Sessions this instance ended, by reason.",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  private readonly deliveryLag = new Histogram({
    name: "session_service_ending_delivery_seconds",
    help: "From an ending's commit to this instance pushing it to its sockets (across instances: through Redis, or a catch-up).",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly sweeps = new Histogram({
    name: "session_service_sweep_seconds",
    help: "Duration of each expiry and retention sweep.",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly catchUpLag = new Histogram({
    name: "session_service_revocation_catch_up_seconds",
    help: "For endings this instance learned only from the revocation log (the bus lost them): time from the log entry to learning it.",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(live: LiveCounts) {
    collectDefaultMetrics({ register: this.registry, prefix: "session_service_" });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge("session_service_open_sockets", "Authenticated WebSocket connections open on this instance.", () => live.openSockets());
    new Gauge({
      name: "session_service_subscriptions",
      help: "Subscriptions open on this instance, by field.",
      labelNames: ["field"] as const,
      registers: [this.registry],
      collect() {
        const open = live.subscriptions();
        this.set({ field: "sessionRevoked" }, open.sessionRevoked);
        this.set({ field: "mySessionsChanged" }, open.mySessionsChanged);
      },
    });
    gauge(
      "session_service_bus_connected",
      "1 while the event bus between instances (Redis) is connected; 0 while endings travel only through the database.",
      () => (live.busConnected() ? 1 : 0),
    );
    gauge(
      "session_service_auth_check_from_memory",
      "1 while tokens are checked against this instance's memory of endings; 0 while every check asks the database (bus down or catching up).",
      () => (live.authFromMemory() ? 1 : 0),
    );
    gauge(
      "session_service_revocations_tracked",
      "Session endings, role changes and unconfirmed claims of the last access-token lifetime held in memory.",
      () => live.revocationsTracked(),
    );
    gauge("session_service_revocation_log_behind_seconds", "Seconds since this instance last read the revocation log in full.", () => live.revocationLogSecondsBehind());
  }

  operation(operation: string, transport: "http" | "websocket", code: string): void {
    this.operations.inc({ operation, transport, code });
  }

  authCheck(seconds: number): void {
    this.authChecks.observe(seconds);
  }

  /**
   * An ending as this instance learned it (from the revocation gate, once each): how long after
   * its commit it reached this instance's sockets, counted by reason where it was committed, and
   * timed apart when only the log brought it (the bus lost it).
   */
  learned(event: { reason: string; endedAt: Date }, origin: "here" | "bus" | "log"): void {
    const seconds = Math.max(0, (Date.now() - event.endedAt.getTime()) / 1000);
    if (origin === "here") this.endings.inc({ reason: event.reason });
    if (origin === "log") this.catchUpLag.observe(seconds);
    this.deliveryLag.observe(seconds);
  }

  sweep(seconds: number): void {
    this.sweeps.observe(seconds);
  }
}
