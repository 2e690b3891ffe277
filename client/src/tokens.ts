import { backoffDelay } from "./backoff.js";
import type { TokenStorage } from "./token-storage.js";
import type { SignedOut } from "./types.js";

export const REFRESH_TOKEN_KEY = "session-service.refreshToken";

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

/** What refreshSession said: a new pair, refused (the session is over, and why), or unreachable (try later). */
export type RefreshOutcome = TokenPair | { refused: SignedOut } | "unreachable";

// Refresh this long before the access token expires (or at 3/4 of a shorter lifetime).
const REFRESH_AHEAD_MS = 60_000;
// A token this close to its expiry is refreshed before it is sent.
const FRESH_FOR_MS = 5_000;
const LOCK_NAME = "session-service.refresh";

type TabMessage = { type: "tokens"; pair: TokenPair } | { type: "signed-out"; signedOut: SignedOut };

/**
 * The tokens of one signed-in device:
 * - the access token lives in memory only and is refreshed ahead of its expiry;
 * - the refresh token lives in the storage, so a reload or an app restart stays signed in. The
 *   server rotates it on every use and ends the session if an old one is presented again;
 * - one refresh at a time: in this process, and across a browser's tabs (a Web Lock; the tab that
 *   refreshed hands the new pair to the others over a BroadcastChannel);
 * - while the server cannot be reached both tokens are kept and the refresh is retried on a
 *   capped, jittered back-off: the server is down, not the session;
 * - when the session ends, for any reason, both are dropped at once (in every tab).
 */
export class Tokens {
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  private refreshing: Promise<string | null> | null = null;
  private failedRefreshes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly tabs: BroadcastChannel | null;

  constructor(
    private readonly storage: TokenStorage,
    private readonly refreshCall: (refreshToken: string) => Promise<RefreshOutcome>,
    private readonly ended: (signedOut: SignedOut) => void,
    /** Whether the storage is shared by a browser's tabs (localStorage). */
    crossTab: boolean,
    /** Another tab signed in or refreshed, and handed its pair over. */
    private readonly shared: () => void = () => undefined,
  ) {
    this.tabs = crossTab && typeof BroadcastChannel === "function" ? new BroadcastChannel(LOCK_NAME) : null;
    this.tabs?.addEventListener("message", (event: MessageEvent<TabMessage>) => {
      if (event.data.type === "tokens") {
        this.adopt(event.data.pair);
        this.shared();
      } else this.drop(event.data.signedOut, false);
    });
  }

  /** Whether a refresh token is kept (the device may be signed in). */
  async stored(): Promise<boolean> {
    return (await this.storage.get(REFRESH_TOKEN_KEY)) !== null;
  }

  /** The access token to send now, as it is (the timer keeps it fresh). */
  current(): string | null {
    return this.accessToken;
  }

  /** A valid access token, refreshing first when it is about to expire. */
  async fresh(): Promise<string | null> {
    if (this.accessToken && this.accessExpiresAt - Date.now() > FRESH_FOR_MS) return this.accessToken;
    return this.refresh();
  }

  /** After login or sign-up. */
  async signedIn(pair: TokenPair): Promise<void> {
    await this.storage.set(REFRESH_TOKEN_KEY, pair.refreshToken);
    this.adopt(pair);
    this.tabs?.postMessage({ type: "tokens", pair } satisfies TabMessage);
  }

  /** One refresh at a time; null when the session is over (then `ended` has been called). */
  refresh(): Promise<string | null> {
    this.refreshing ??= (async () => {
      const presented = await this.storage.get(REFRESH_TOKEN_KEY);
      return withLock(async () => {
        const current = await this.storage.get(REFRESH_TOKEN_KEY);
        if (!current) {
          this.drop({ reason: null, endedAt: null }, false);
          return null;
        }
        // Another tab refreshed while this one waited for the lock, and handed its pair over.
        if (current !== presented && this.accessToken && this.accessExpiresAt - Date.now() > FRESH_FOR_MS) return this.accessToken;
        const outcome = await this.refreshCall(current);
        if (outcome === "unreachable") {
          this.schedule(backoffDelay(this.failedRefreshes++));
          return this.accessToken;
        }
        if ("refused" in outcome) {
          this.drop(outcome.refused, true);
          return null;
        }
        this.failedRefreshes = 0;
        await this.signedIn(outcome);
        return outcome.accessToken;
      });
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The session is over (told by the server, or logged out here): drop every token at once, in every tab. */
  end(signedOut: SignedOut): void {
    this.drop(signedOut, true);
  }

  /** Stops the timer and the channel: the client is no longer used. */
  close(): void {
    clearTimeout(this.timer);
    this.tabs?.close();
  }

  private adopt(pair: TokenPair): void {
    this.accessToken = pair.accessToken;
    this.accessExpiresAt = Date.parse(pair.accessTokenExpiresAt);
    const lifetime = this.accessExpiresAt - Date.now();
    this.schedule(Math.max(1_000, lifetime - Math.min(REFRESH_AHEAD_MS, lifetime / 4)));
  }

  private drop(signedOut: SignedOut, tellTabs: boolean): void {
    clearTimeout(this.timer);
    const had = this.accessToken !== null;
    this.accessToken = null;
    this.accessExpiresAt = 0;
    void this.storage.remove(REFRESH_TOKEN_KEY);
    if (tellTabs) this.tabs?.postMessage({ type: "signed-out", signedOut } satisfies TabMessage);
    if (had || tellTabs) this.ended(signedOut);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }
}

/** Runs `work` under the browser's Web Lock for refreshes where there is one; at once elsewhere. */
function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks ? (locks.request(LOCK_NAME, work) as Promise<T>) : work();
}
