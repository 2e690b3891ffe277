import { createHash, createHmac, type KeyObject } from "node:crypto";

// An HMAC-SHA256 in base64url: 43 characters. Anything else is not one of ours, and costs no query.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The device token of the session a login or sign-up opened: an HMAC of the session's id under a
 * server key (OWASP's "device cookie", docs/security.md). Derived rather than random so that
 * `refreshSession` can hand the device the same token again (the contract's AuthPayload always
 * carries one) without it ever being stored in a readable form; unguessable without the key,
 * although session ids are not secret.
 */
export function deviceTokenOf(key: KeyObject, sessionId: string): string {
  return createHmac("sha256", key).update(sessionId).digest("base64url");
}

/** Only this digest is stored. A fast hash is enough: the input is 256 bits no one can guess. */
export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether the text has a device token's shape (it may still be forged, expired or another account's). */
export function looksLikeDeviceToken(text: string): boolean {
  return TOKEN.test(text);
}
