import type { JWK } from "jose";
import type { Queryable } from "../db/queryable";
import type { SignalSigningKey } from "./signing-key";

/** A key stays published this long after an instance last signed with it, for receivers that cache the JWKS. */
const KEEP_AFTER_LAST_USE = "1 hour";
const HEARTBEAT_MS = 60_000;

/**
 * The JWKS every instance serves alike: the public keys of the keys in use (each running instance
 * says so every minute), and of keys rotated out while events they signed wait to be
 * acknowledged, in the database all instances share.
 */
export class PublishedKeys {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly key: SignalSigningKey,
  ) {}

  async start(): Promise<void> {
    await this.touch();
    this.timer = setInterval(() => this.touch().catch(() => undefined), HEARTBEAT_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async touch(): Promise<void> {
    await this.db.query(
      `INSERT INTO signal_keys (kid, public_jwk) VALUES ($1, $2) ON CONFLICT (kid) DO UPDATE SET last_used_at = now()`,
      [this.key.kid, this.key.publicJwk],
    );
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const rows = await this.db.query(
      `SELECT public_jwk FROM signal_keys k
        WHERE k.kid = $1 OR k.last_used_at > now() - $2::interval
           OR EXISTS (SELECT 1 FROM signal_outbox o WHERE o.kid = k.kid)
        ORDER BY k.kid = $1 DESC, k.last_used_at DESC`,
      [this.key.kid, KEEP_AFTER_LAST_USE],
    );
    return { keys: rows.map((r: { public_jwk: JWK }) => r.public_jwk) };
  }
}
