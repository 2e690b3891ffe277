import type { Sink } from "graphql-ws";
import { deviceTokenFor, rememberDeviceToken } from "./device-tokens.js";
import { ServiceUnreachable, SessionServiceError } from "./errors.js";
import { codeOf, dataOf, post } from "./graphql-http.js";
import { LiveSocket, type LiveState } from "./live-socket.js";
import * as op from "./operations.js";
import { SessionsWatcher } from "./sessions-watcher.js";
import { defaultStorage, type TokenStorage } from "./token-storage.js";
import { Tokens, type RefreshOutcome, type TokenPair } from "./tokens.js";
import { isRevocationReason, type ActivityEntry, type ActivityPage, type AuthResult, type DeviceInput, type RevocationReason, type Session, type SignedOut, type User } from "./types.js";

export interface SessionClientOptions {
  /** The absolute http(s) URL of the service's /graphql; the socket's URL is derived from it. */
  url: string;
  /** Default: localStorage in a browser, memory elsewhere. */
  storage?: TokenStorage;
  /** For Node and React Native when the global one will not do. */
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  WebSocket?: unknown;
  /** Sent with every HTTP request, e.g. a User-Agent where the platform lets you set one. */
  headers?: Record<string, string>;
  /** Sent with signUp and login. */
  device?: DeviceInput;
}

export type SessionStatus = "starting" | "signed-in" | "signed-out";

export interface SessionClient {
  signUp(email: string, password: string): Promise<AuthResult>;
  login(email: string, password: string): Promise<AuthResult>;
  /** Ends this session on the server, then here. Throws (and stays signed in) when the server cannot be reached. */
  logout(): Promise<void>;
  me(): Promise<User>;
  sessions(): Promise<Session[]>;
  activity(options?: { first?: number; after?: string | null }): Promise<ActivityPage>;
  terminate(sessionId: string): Promise<boolean>;
  terminateOthers(): Promise<number>;
  changePassword(currentPassword: string, newPassword: string): Promise<number>;
  renameSession(sessionId: string, name: string): Promise<Session>;
  /** The live list: fetched, then fetched again on every change and after every reconnect. */
  watchSessions(listener: (sessions: Session[]) => void): () => void;
  onSignedOut(listener: (signedOut: SignedOut) => void): () => void;
  /** The app goes to the background: the socket is dropped. */
  pause(): void;
  /** Back to the foreground: the session is checked again (an ending meanwhile signs out, with its reason), then the socket reconnects. */
  resume(): Promise<void>;
  readonly signedIn: boolean;

  /** On start: a kept refresh token brings the session back; resolves with whether it did. */
  restore(): Promise<boolean>;
  readonly status: SessionStatus;
  /** Why the client is signed out, once it is; null while signed in or never signed in. */
  readonly signedOut: SignedOut | null;
  /** Signed in, signed out, and the live connection's changes (for React's useSyncExternalStore). */
  onChange(listener: () => void): () => void;
  readonly live: LiveState;
  /** A fetch for other GraphQL clients (urql, Apollo): the access token added, refreshed once and sent again on UNAUTHENTICATED. */
  fetch: typeof fetch;
  /** Any subscription over the client's socket, with its reconnects. */
  subscribe<T>(request: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }, sink: Sink<{ data?: T | null }>): () => void;
  /** Stops timers, the socket and the tab channel. */
  dispose(): void;
}

export function createSessionClient(options: SessionClientOptions): SessionClient {
  return new Client(options);
}

class Client implements SessionClient {
  private state: SessionStatus = "starting";
  private ending: SignedOut | null = null;
  private paused = false;
  private stopRevocation: (() => void) | null = null;
  private readonly watchers = new Set<SessionsWatcher>();
  private readonly signedOutListeners = new Set<(signedOut: SignedOut) => void>();
  private readonly changeListeners = new Set<() => void>();
  private readonly tokens: Tokens;
  private readonly socket: LiveSocket;
  private readonly storage: TokenStorage;
  private readonly fetchImpl: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: SessionClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("url must be the absolute http(s) URL of /graphql");
    this.storage = options.storage ?? defaultStorage();
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = options.headers ?? {};
    this.tokens = new Tokens(
      this.storage,
      (refreshToken) => this.refreshCall(refreshToken),
      (signedOut) => this.ended(signedOut),
      options.storage === undefined,
      // Signed in in another tab: this one is too.
      () => {
        if (this.state !== "signed-in") {
          this.ending = null;
          this.signedInNow();
        }
      },
    );
    this.socket = new LiveSocket({
      url: `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}${url.pathname}${url.search}`,
      webSocketImpl: options.WebSocket,
      token: () => this.tokens.fresh(),
      wanted: () => this.state === "signed-in" && !this.paused,
      refused: (reason) => void this.refused(reason),
    });
    this.socket.onChange(() => this.changed());
    // A browser: back at once when the network or the tab returns.
    const target = globalThis as { addEventListener?: typeof addEventListener; document?: Document };
    target.addEventListener?.("online", () => this.socket.wake());
    target.document?.addEventListener("visibilitychange", () => {
      if (target.document?.visibilityState === "visible") this.socket.wake();
    });
  }

  get signedIn(): boolean {
    return this.state === "signed-in";
  }

  get status(): SessionStatus {
    return this.state;
  }

  get signedOut(): SignedOut | null {
    return this.ending;
  }

  get live(): LiveState {
    return this.socket.live;
  }

  async restore(): Promise<boolean> {
    if (this.state === "signed-in") return true;
    if (!(await this.tokens.stored())) {
      this.setState("signed-out");
      return false;
    }
    // Unreachable keeps the tokens: signed in, and the timer tries the refresh again.
    const token = await this.tokens.refresh();
    if (this.state === "signed-out") return false;
    if (token !== null || (await this.tokens.stored())) this.signedInNow();
    return this.signedIn;
  }

  async signUp(email: string, password: string): Promise<AuthResult> {
    const { signUp } = dataOf(await this.send<{ signUp: AuthPayload }>(op.SIGN_UP, { email, password, device: this.options.device }, null));
    return this.started(signUp);
  }

  async login(email: string, password: string): Promise<AuthResult> {
    const deviceToken = await deviceTokenFor(this.storage, email);
    const { login } = dataOf(await this.send<{ login: AuthPayload }>(op.LOG_IN, { email, password, deviceToken, device: this.options.device }, null));
    return this.started(login);
  }

  async logout(): Promise<void> {
    try {
      await this.call<{ logout: boolean }>(op.LOG_OUT);
    } catch (error) {
      // Already over: nothing is left to end on the server.
      if (!(error instanceof SessionServiceError && error.code === "UNAUTHENTICATED")) throw error;
    }
    this.tokens.end({ reason: "LOGOUT", endedAt: new Date().toISOString() });
  }

  async me(): Promise<User> {
    return (await this.call<{ me: User }>(op.ME)).me;
  }

  async sessions(): Promise<Session[]> {
    return (await this.call<{ mySessions: Session[] }>(op.MY_SESSIONS)).mySessions;
  }

  async activity(options: { first?: number; after?: string | null } = {}): Promise<ActivityPage> {
    const { myActivity } = await this.call<{ myActivity: { nodes: ActivityEntry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(op.MY_ACTIVITY, options);
    return { entries: myActivity.nodes, next: myActivity.pageInfo.hasNextPage ? myActivity.pageInfo.endCursor : null };
  }

  async terminate(sessionId: string): Promise<boolean> {
    return (await this.call<{ terminateSession: boolean }>(op.TERMINATE, { sessionId })).terminateSession;
  }

  async terminateOthers(): Promise<number> {
    return (await this.call<{ terminateOtherSessions: number }>(op.TERMINATE_OTHERS)).terminateOtherSessions;
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<number> {
    return (await this.call<{ changePassword: number }>(op.CHANGE_PASSWORD, { currentPassword, newPassword })).changePassword;
  }

  async renameSession(sessionId: string, name: string): Promise<Session> {
    return (await this.call<{ renameSession: Session }>(op.RENAME, { sessionId, name })).renameSession;
  }

  watchSessions(listener: (sessions: Session[]) => void): () => void {
    const watcher = new SessionsWatcher(() => this.sessions(), listener, this.socket);
    this.watchers.add(watcher);
    if (this.liveWanted()) watcher.start();
    return () => {
      watcher.stop();
      this.watchers.delete(watcher);
    };
  }

  onSignedOut(listener: (signedOut: SignedOut) => void): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  pause(): void {
    this.paused = true;
    this.stopLive();
  }

  async resume(): Promise<void> {
    this.paused = false;
    if (this.state !== "signed-in") return;
    // Whatever happened meanwhile: a refresh tells whether the session still lives, and why not.
    await this.tokens.refresh();
    if (this.liveWanted()) this.startLive();
  }

  fetch: typeof fetch = async (input, init) => {
    const attempt = async (token: string | null) => {
      const headers = new Headers(init?.headers);
      if (token) headers.set("authorization", `Bearer ${token}`);
      return this.fetchImpl(input, { ...init, headers });
    };
    const response = await attempt(await this.tokens.fresh());
    if (!(await saysUnauthenticated(response))) return response;
    const token = await this.tokens.refresh();
    return token ? attempt(token) : response;
  };

  subscribe<T>(request: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }, sink: Sink<{ data?: T | null }>): () => void {
    return this.socket.client.subscribe<T>({ query: request.query, variables: request.variables ?? undefined, operationName: request.operationName ?? undefined }, sink);
  }

  dispose(): void {
    this.stopLive();
    this.tokens.close();
    void this.socket.client.dispose();
  }

  /** An operation as the signed-in user. */
  private async call<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    if (!(await this.tokens.fresh())) throw new SessionServiceError("Not signed in.", "UNAUTHENTICATED");
    // Through this.fetch: the token added, refreshed once and sent again, as for any other GraphQL client.
    return dataOf(await post<T>(this.fetch, this.options.url, this.headers, query, variables, null));
  }

  private send<T>(query: string, variables: Record<string, unknown> | undefined, token: string | null) {
    return post<T>(this.fetchImpl, this.options.url, this.headers, query, variables, token);
  }

  private async refreshCall(refreshToken: string): Promise<RefreshOutcome> {
    try {
      const response = await this.send<{ refreshSession: AuthPayload }>(op.REFRESH, { refreshToken }, null);
      if (response.data?.refreshSession) return response.data.refreshSession;
      const code = codeOf(response);
      if (code !== "UNAUTHENTICATED" && code !== "BAD_USER_INPUT") return "unreachable";
      const extensions = response.errors?.[0]?.extensions ?? {};
      return { refused: { reason: isRevocationReason(extensions.reason) ? extensions.reason : null, endedAt: typeof extensions.endedAt === "string" ? extensions.endedAt : null } };
    } catch (error) {
      if (error instanceof ServiceUnreachable) return "unreachable";
      throw error;
    }
  }

  private async started(payload: AuthPayload): Promise<AuthResult> {
    await rememberDeviceToken(this.storage, payload.user.email, payload.deviceToken);
    await this.tokens.signedIn(payload);
    this.ending = null;
    this.signedInNow();
    return { user: payload.user, session: payload.session };
  }

  /** A 4403 on the socket: the refresh tells whether the session is over (and why); the close reason decides when the server cannot be asked. */
  private async refused(closeReason: string): Promise<void> {
    const token = await this.tokens.refresh();
    if (token !== null && this.state === "signed-in" && isRevocationReason(closeReason)) this.tokens.end({ reason: closeReason as RevocationReason, endedAt: null });
  }

  private signedInNow(): void {
    this.setState("signed-in");
    if (this.liveWanted()) this.startLive();
  }

  private ended(signedOut: SignedOut): void {
    if (this.state === "signed-out") return;
    this.ending = signedOut;
    this.setState("signed-out");
    this.stopLive();
    for (const listener of this.signedOutListeners) listener(signedOut);
  }

  private liveWanted(): boolean {
    return this.state === "signed-in" && !this.paused;
  }

  private startLive(): void {
    this.stopRevocation ??= this.socket.subscribe<{ sessionRevoked: { reason: RevocationReason; revokedAt: string } }>(op.SESSION_REVOKED, {
      next: ({ data }) => {
        if (data) this.tokens.end({ reason: data.sessionRevoked.reason, endedAt: data.sessionRevoked.revokedAt });
      },
      error: () => (this.stopRevocation = null),
      complete: () => (this.stopRevocation = null),
    });
    for (const watcher of this.watchers) watcher.start();
  }

  private stopLive(): void {
    this.stopRevocation?.();
    this.stopRevocation = null;
    for (const watcher of this.watchers) watcher.stop();
    this.socket.drop();
  }

  private setState(state: SessionStatus): void {
    this.state = state;
    this.changed();
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

interface AuthPayload extends TokenPair {
  deviceToken: string;
  user: User;
  session: Session;
}

async function saysUnauthenticated(response: Response): Promise<boolean> {
  if (!response.headers.get("content-type")?.includes("json")) return false;
  const body = (await response.clone().json().catch(() => null)) as { errors?: { extensions?: { code?: unknown } }[] } | null;
  return body?.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED") ?? false;
}
