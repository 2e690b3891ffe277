import type { TokenStorage } from "./token-storage.js";

/**
 * The device tokens this device was given, one per account that signed in on it, each sent with
 * that account's next login: a device that has logged in before is judged by its own failures,
 * so strangers failing on its network (an office behind one address) do not lock it out. Kept
 * when a session ends: a device token opens nothing by itself, it only vouches that this device
 * knew the password before.
 */
export const DEVICE_TOKENS_KEY = "session-service.deviceTokens";
// A shared computer's few accounts; past this the one that signed in longest ago is forgotten.
const MAX_ACCOUNTS = 5;

/** As the server spells addresses (NFKC, trimmed, lower case), so a token is found however it was typed. */
function accountKey(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

async function stored(storage: TokenStorage): Promise<[string, string][]> {
  try {
    const parsed: unknown = JSON.parse((await storage.get(DEVICE_TOKENS_KEY)) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((entry): entry is [string, string] => Array.isArray(entry) && entry.length === 2) : [];
  } catch {
    return [];
  }
}

/** The token to send with a login of this account; undefined when this device has none. */
export async function deviceTokenFor(storage: TokenStorage, email: string): Promise<string | undefined> {
  return (await stored(storage)).find(([account]) => account === accountKey(email))?.[1];
}

/** After a login or sign-up: the token it returned replaces the account's old one. */
export async function rememberDeviceToken(storage: TokenStorage, email: string, token: string): Promise<void> {
  const others = (await stored(storage)).filter(([account]) => account !== accountKey(email));
  await storage.set(DEVICE_TOKENS_KEY, JSON.stringify([...others, [accountKey(email), token]].slice(-MAX_ACCOUNTS)));
}
