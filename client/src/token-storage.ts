/**
 * Where the client keeps what must outlive a reload or an app restart: the refresh token and
 * the device tokens. In a browser, localStorage; in an app, the platform's secure store
 * (Keychain, Keystore: see docs/mobile.md). The access token is never stored: it lives in memory.
 */
export interface TokenStorage {
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** Kept for the life of the process only (Node, tests, or an app that signs in every time). */
export function memoryStorage(): TokenStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

/** localStorage where there is one (a browser), memory elsewhere. */
export function defaultStorage(): TokenStorage {
  const local = (globalThis as { localStorage?: Storage }).localStorage;
  if (!local) return memoryStorage();
  return {
    get: (key) => local.getItem(key),
    set: (key, value) => local.setItem(key, value),
    remove: (key) => local.removeItem(key),
  };
}
