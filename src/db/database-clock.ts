import type { DataSource } from "typeorm";

/**
 * The database's clock, as seen from this process. Instances whose own clocks drift apart must
 * still agree on whether a token has expired, so tokens are signed and checked against the one
 * clock they all share. The offset is measured against `now()` at start and re-measured now and
 * then; between measurements it costs nothing per request.
 */
export class DatabaseClock {
  private offsetMs = 0;

  /** Milliseconds since the epoch by the database's clock. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Re-measures the offset; the round trip's midpoint stands for the moment the database read its clock. */
  async sync(db: DataSource): Promise<void> {
    const sent = Date.now();
    const [row] = await db.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms");
    const received = Date.now();
    this.offsetMs = Number(row.ms) - (sent + received) / 2;
  }
}
