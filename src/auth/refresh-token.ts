import { createHash, createHmac, randomBytes, type KeyObject } from "node:crypto";

// 256 bits from the CSPRNG: far past guessing, and the API promises at least this much.
const TOKEN_BYTES = 32;

export function newRefreshToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** Only this digest is stored. A fast hash is enough: the input is 256 random bits, not a password. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The token that rotation gives in exchange for `token`: an HMAC of it under a server key.
 * Being derivable (by the server only) lets the reuse grace window hand a second tab the
 * session's current token without that token ever being stored in a readable form.
 */
export function successorRefreshToken(chainKey: KeyObject, token: string): string {
  return createHmac("sha256", chainKey).update(token).digest("base64url");
}
