/**
 * How this page holds its tokens, and the module to copy into your own SPA:
 * - the access token lives in memory only and is refreshed a minute before it expires;
 * - the refresh token lives in localStorage, so a reload or a second tab stays signed in. The
 *   server rotates it on every use and ends the session if an old one is presented again, which
 *   is what makes keeping it there acceptable;
 * - two tabs refreshing at the same moment both present the same token: the server's grace
 *   window (REFRESH_REUSE_GRACE_SECONDS) answers the second with the pair the first received;
 * - when the server cannot be reached the tokens are kept and the refresh is tried again on a
 *   capped, jittered back-off: the server is down, not the session;
 * - when the session ends, for any reason, both tokens are dropped at once.
 */

import { backoffDelay } from "./backoff";

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

/** The server's RevocationReason values: why a session ended. */
export const REVOCATION_REASONS = ["LOGOUT", "TERMINATED", "TERMINATED_OTHERS", "PASSWORD_CHANGED", "ADMIN_LOGOUT", "REFRESH_TOKEN_REUSE", "EXPIRED"] as const;

/** Why the page is signed out: a RevocationReason from the server, or a refresh refused without one. */
export type SignedOutReason = (typeof REVOCATION_REASONS)[number] | "REFRESH_REFUSED";

/** What refreshSession said: a new pair, refused (the session is over, and why), or "unreachable" (try later). */
export type RefreshOutcome = TokenPair | { refused: SignedOutReason } | "unreachable";

export type SessionState =
  | { status: "starting" }
  | { status: "signed-in" }
  | { status: "signed-out"; reason: SignedOutReason | null };

const REFRESH_TOKEN_KEY = "session-service.refreshToken";
// Refresh this long before the access token expires (or at 3/4 of a shorter lifetime).
const REFRESH_AHEAD_MS = 60_000;

export class Session {
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  private refreshing: Promise<string | null> | null = null;
  private failedRefreshes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private current: SessionState = { status: "starting" };

  constructor(private readonly refreshCall: (refreshToken: string) => Promise<RefreshOutcome>) {}

  get state(): SessionState {
    return this.current;
  }

  /** For React's useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** On page load: a stored refresh token brings the session back; none means signed out. */
  async start(): Promise<void> {
    if (!localStorage.getItem(REFRESH_TOKEN_KEY)) return this.set({ status: "signed-out", reason: null });
    await this.refresh();
  }

  /** After login or sign-up. */
  signedIn(tokens: TokenPair): void {
    this.store(tokens);
    this.set({ status: "signed-in" });
  }

  /** The access token to send now (synchronous: the refresh timer keeps it fresh). */
  token(): string | null {
    return this.accessToken;
  }

  /** A valid access token, refreshing first when it is about to expire. */
  async freshToken(): Promise<string | null> {
    if (this.accessToken && this.accessExpiresAt - Date.now() > 5_000) return this.accessToken;
    return this.refresh();
  }

  /** One refresh at a time per tab; the token is read from storage, where another tab may have rotated it. */
  refresh(): Promise<string | null> {
    this.refreshing ??= (async () => {
      const refreshToken = localStorage.getItem(REFRESH_TOKEN_KEY);
      if (!refreshToken) {
        this.ended("REFRESH_REFUSED");
        return null;
      }
      const outcome = await this.refreshCall(refreshToken);
      if (outcome === "unreachable") {
        // Keep both tokens: the server is down, not the session. Try again, later each time.
        this.schedule(backoffDelay(this.failedRefreshes++));
        if (this.current.status === "starting") this.set({ status: "signed-in" });
        return this.accessToken;
      }
      if ("refused" in outcome) {
        this.ended(outcome.refused);
        return null;
      }
      this.failedRefreshes = 0;
      this.store(outcome);
      if (this.current.status !== "signed-in") this.set({ status: "signed-in" });
      return outcome.accessToken;
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The session is over (told by the server, or logged out here): drop every token at once. */
  ended(reason: SignedOutReason): void {
    clearTimeout(this.timer);
    this.accessToken = null;
    this.accessExpiresAt = 0;
    localStorage.removeItem(REFRESH_TOKEN_KEY);
    if (this.current.status !== "signed-out") this.set({ status: "signed-out", reason });
  }

  private store(tokens: TokenPair): void {
    this.accessToken = tokens.accessToken;
    this.accessExpiresAt = Date.parse(tokens.accessTokenExpiresAt);
    localStorage.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
    const lifetime = this.accessExpiresAt - Date.now();
    this.schedule(Math.max(1_000, lifetime - Math.min(REFRESH_AHEAD_MS, lifetime / 4)));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private set(state: SessionState): void {
    this.current = state;
    for (const listener of this.listeners) listener();
  }
}
