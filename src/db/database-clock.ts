import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";

/**
 * The database's clock, as seen from this process. Instances whose own clocks drift apart must
 * still agree on whether a token has expired and on how long an ending is remembered, so every
 * such time is read from the one clock they all share. The offset is measured against the
 * database at start and re-measured now and then; between measurements it costs nothing.
 *
 * It runs on the process's monotonic clock, not the host's wall clock: a step of the host clock
 * (NTP correcting a bad start, an operator's `date -s`) must not make this instance forget
 * endings early or judge tokens by another time until the next measurement (issue 14, item 2).
 */
export class DatabaseClock {
  // Until the first measurement, the host's wall clock.
  private offsetMs = Date.now() - performance.now();

  /** Milliseconds since the epoch by the database's clock. */
  now(): number {
    return performance.now() + this.offsetMs;
  }

  /** Re-measures the offset; the round trip's midpoint stands for the moment the database read its clock. */
  async sync(db: DataSource): Promise<void> {
    const sent = performance.now();
    const [row] = await db.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms");
    const received = performance.now();
    this.offsetMs = Number(row.ms) - (sent + received) / 2;
  }
}
