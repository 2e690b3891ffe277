import type { KeyObject } from "node:crypto";
import { deviceTokenOf, hashDeviceToken, looksLikeDeviceToken } from "../auth/device-token";
import type { Queryable } from "../db/queryable";
import * as store from "./device-token-store";

// A device stays known this long after its last login or refresh: long enough that a laptop used
// once a season keeps its way in, short enough that a token lost with an old device stops
// counting by itself. What it is worth to a thief is small anyway: a password check judged by
// the token's own failure count, which the thief's guesses lock after a handful.
export const DEVICE_TOKEN_LIFETIME_DAYS = 180;

/**
 * Device tokens, OWASP's "device cookies" against online guessing: a device that has logged in
 * to an account gets one, and a later login of that account presenting it is judged by the
 * token's own failure count (attempt-limiter.ts), so strangers failing from the same network, or
 * guessing the account from elsewhere, do not lock the owner out. Only hashes are stored.
 */
export class DeviceTokens {
  constructor(
    private readonly db: Queryable,
    private readonly key: KeyObject,
  ) {}

  /** The presented token's id when it is an unexpired token of this account; null when it is none, forged, expired or another account's. */
  async recognise(presented: string | null | undefined, email: string): Promise<string | null> {
    if (!presented || !looksLikeDeviceToken(presented)) return null;
    return store.findDeviceToken(this.db, hashDeviceToken(presented), email);
  }

  /**
   * The token of the device this session was opened on, kept for the user for another lifetime
   * (in the caller's transaction, `q`); `replacing`, the token the device presented, is dropped.
   */
  async issue(q: Queryable, userId: string, sessionId: string, replacing?: string | null): Promise<string> {
    const token = deviceTokenOf(this.key, sessionId);
    await store.keepDeviceToken(q, userId, hashDeviceToken(token), DEVICE_TOKEN_LIFETIME_DAYS);
    if (replacing) await store.deleteDeviceToken(q, replacing);
    return token;
  }

  /** The session was refreshed: its device gets the same token again, and keeps it for another lifetime. */
  refreshed(userId: string, sessionId: string): Promise<string> {
    return this.issue(this.db, userId, sessionId);
  }

  /** Deletes up to `batch` expired tokens (the sweep); how many. */
  purgeExpired(batch: number): Promise<number> {
    return store.purgeExpiredDeviceTokens(this.db, batch);
  }
}
