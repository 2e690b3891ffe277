import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../db/queryable";
import { InvalidInput, NotFound } from "../domain/errors";

/** The scopes a receiver's token may carry: `ssf.read` reads its streams and polls; `ssf.manage` changes them too. */
export const SIGNAL_SCOPES = ["ssf.manage", "ssf.read"] as const;
export type SignalScope = (typeof SIGNAL_SCOPES)[number];

export const TOKEN_LIFETIME_SECONDS = 3600;

export interface SignalReceiverRow {
  id: string;
  name: string;
  clientId: string;
  createdAt: Date;
}

/** Who a valid bearer token belongs to. */
export interface ReceiverCaller {
  receiverId: string;
  clientId: string;
  scopes: SignalScope[];
}

const hash = (secret: string) => createHash("sha256").update(secret).digest("hex");
const random = (bytes: number) => randomBytes(bytes).toString("base64url");

function nameOf(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100) throw new InvalidInput("A receiver's name is 1 to 100 characters.", "name");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidInput("A receiver's name is plain text on one line.", "name");
  return name;
}

const toRow = (r: { id: string; name: string; client_id: string; created_at: Date }): SignalReceiverRow => ({ id: r.id, name: r.name, clientId: r.client_id, createdAt: r.created_at });

/**
 * Services registered to receive security events, and their OAuth client credentials
 * (RFC 6749 §4.4). Secrets and tokens are 256-bit random strings kept only as SHA-256 hashes:
 * with that much entropy a slow hash adds nothing.
 */
export class SignalReceivers {
  constructor(private readonly db: Queryable) {}

  async create(rawName: string): Promise<{ receiver: SignalReceiverRow; clientSecret: string }> {
    const name = nameOf(rawName);
    const clientId = `ssf-${random(12)}`;
    const clientSecret = random(32);
    const rows = await this.db.query(
      `INSERT INTO signal_receivers (name, client_id, secret_hash) VALUES ($1, $2, $3) RETURNING id, name, client_id, created_at`,
      [name, clientId, hash(clientSecret)],
    );
    return { receiver: toRow(rows[0]), clientSecret };
  }

  async list(): Promise<SignalReceiverRow[]> {
    const rows = await this.db.query(`SELECT id, name, client_id, created_at FROM signal_receivers ORDER BY created_at, id`);
    return rows.map(toRow);
  }

  /** Its streams, tokens and pending events go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    const rows: unknown[] = await this.db.query(`WITH gone AS (DELETE FROM signal_receivers WHERE id = $1 RETURNING id) SELECT id FROM gone`, [id]);
    if (rows.length === 0) throw new NotFound("Signal receiver");
  }

  /** The receiver whose id and secret these are; null for any mismatch, alike. */
  async authenticate(clientId: string, clientSecret: string): Promise<SignalReceiverRow | null> {
    const rows = await this.db.query(`SELECT id, name, client_id, created_at, secret_hash FROM signal_receivers WHERE client_id = $1`, [clientId]);
    const expected = Buffer.from(rows[0]?.secret_hash ?? hash(random(32)), "hex");
    const given = Buffer.from(hash(clientSecret), "hex");
    return timingSafeEqual(expected, given) && rows[0] ? toRow(rows[0]) : null;
  }

  async issueToken(receiverId: string, scopes: SignalScope[]): Promise<string> {
    const token = random(32);
    await this.db.query(`INSERT INTO signal_tokens (token_hash, receiver_id, scopes, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`, [
      hash(token),
      receiverId,
      scopes,
      TOKEN_LIFETIME_SECONDS,
    ]);
    return token;
  }

  /** Who holds this unexpired token; null otherwise (a deleted receiver's tokens went with it). */
  async caller(token: string): Promise<ReceiverCaller | null> {
    const rows = await this.db.query(
      `SELECT r.id, r.client_id, t.scopes FROM signal_tokens t JOIN signal_receivers r ON r.id = t.receiver_id
        WHERE t.token_hash = $1 AND t.expires_at > now()`,
      [hash(token)],
    );
    return rows[0] ? { receiverId: rows[0].id, clientId: rows[0].client_id, scopes: rows[0].scopes } : null;
  }

  /** Expired tokens, up to `batch`; how many went. */
  async purgeExpiredTokens(batch: number): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH gone AS (DELETE FROM signal_tokens WHERE token_hash IN (SELECT token_hash FROM signal_tokens WHERE expires_at <= now() LIMIT $1) RETURNING 1) SELECT 1 FROM gone`,
      [batch],
    );
    return rows.length;
  }
}
