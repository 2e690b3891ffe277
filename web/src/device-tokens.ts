/**
 * The device tokens this browser was given, one per account that signed in here, each sent with
 * that account's next login: a device that has logged in before is judged by its own failures,
 * so strangers failing on its network (an office behind one address) do not lock it out.
 * Kept in localStorage and kept when a session ends: a device token opens nothing by itself, it
 * only vouches that this browser knew the password before. Copy it with the session module
 * (docs/spa.md).
 */

const DEVICE_TOKENS_KEY = "session-service.deviceTokens";
// A shared computer's few accounts; past this the one that signed in longest ago is forgotten.
const MAX_ACCOUNTS = 5;

/** As the server spells addresses (NFKC, trimmed, lower case), so a token is found however it was typed. */
function accountKey(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

function stored(): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DEVICE_TOKENS_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((entry): entry is [string, string] => Array.isArray(entry) && entry.length === 2) : [];
  } catch {
    return [];
  }
}

/** The token to send with a login of this account; undefined when this browser has none. */
export function deviceTokenFor(email: string): string | undefined {
  return stored().find(([account]) => account === accountKey(email))?.[1];
}

/** After a login or sign-up: the token it returned replaces the account's old one. */
export function rememberDeviceToken(email: string, token: string): void {
  const others = stored().filter(([account]) => account !== accountKey(email));
  const kept = [...others, [accountKey(email), token]].slice(-MAX_ACCOUNTS);
  localStorage.setItem(DEVICE_TOKENS_KEY, JSON.stringify(kept));
}
