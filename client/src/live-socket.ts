import { createClient, type Client, type Sink } from "graphql-ws";
import { backoffDelay } from "./backoff.js";

/** The live connection as the app may show it. */
export interface LiveState {
  /** False from the moment the socket drops until it is back (and before the first connect). */
  connected: boolean;
  /** How many times the socket has come back; lists refetch when it grows, to show what they missed. */
  reconnects: number;
}

export interface LiveSocketOptions {
  url: string;
  webSocketImpl?: unknown;
  /** A fresh access token for connection_init; null once signed out (the socket then stops). */
  token: () => Promise<string | null>;
  /** Whether to keep reconnecting: true while signed in and not paused. */
  wanted: () => boolean;
  /** A 4403 at connection_init or later: the token or the session was refused; the close reason as sent. */
  refused: (reason: string) => void;
}

// graphql-ws's close code for a bad token or an ended session (then the reason names the ending).
const FORBIDDEN = 4403;
// How often an idle socket is pinged, and how long a pong may take before the socket counts as dead
// (a laptop that slept, a network that dropped without a FIN: the platform would wait minutes).
const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;

/**
 * One graphql-ws client that reconnects for as long as it is wanted, on a capped, jittered
 * back-off that `wake()` cuts short (the network or the app came back). A 4403 is not retried
 * blindly: it is handed to `refused`, which decides whether the session is over.
 */
export class LiveSocket {
  readonly client: Client;
  private state: LiveState = { connected: false, reconnects: 0 };
  private readonly listeners = new Set<() => void>();
  private wakeUp: (() => void) | null = null;
  private socket: WebSocket | null = null;
  private pongDeadline: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LiveSocketOptions) {
    this.client = createClient({
      url: options.url,
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      keepAlive: PING_EVERY_MS,
      retryAttempts: Infinity,
      shouldRetry: () => options.wanted(),
      retryWait: (retries) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.wakeUp = null;
            resolve();
          };
          const timer = setTimeout(done, backoffDelay(retries));
          this.wakeUp = done;
        }),
      connectionParams: async () => {
        const token = await options.token();
        // Thrown, not sent: graphql-ws then closes with 4500 and stops, as it should once signed out.
        if (!token) throw new Error("signed out");
        return { authorization: `Bearer ${token}` };
      },
      on: {
        connected: (socket, _payload, wasRetry) => {
          this.socket = socket as WebSocket;
          // Dropped while it was connecting (paused, signed out): it goes now that it can.
          if (!options.wanted()) queueMicrotask(() => this.client.terminate());
          this.set({ connected: true, reconnects: this.state.reconnects + (wasRetry ? 1 : 0) });
        },
        ping: (received) => {
          if (!received) this.expectPong();
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongDeadline);
        },
        closed: (event) => {
          this.socket = null;
          clearTimeout(this.pongDeadline);
          if (this.state.connected) this.set({ ...this.state, connected: false });
          const { code, reason } = event as CloseEvent;
          if (code === FORBIDDEN) options.refused(reason);
        },
      },
    });
  }

  get live(): LiveState {
    return this.state;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe<T>(query: string, sink: Sink<{ data?: T | null }>): () => void {
    return this.client.subscribe<T>({ query }, sink);
  }

  /**
   * Back now: a wait for the next try ends at once; an open socket that may have died (after a
   * sleep) is pinged, and closed if no pong comes in time.
   */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else if (this.socket?.readyState === 1) {
      this.socket.send(JSON.stringify({ type: "ping" }));
      this.expectPong();
    }
  }

  /**
   * Drops the socket (retried only if still wanted). One still connecting is left to finish: a
   * socket closed while connecting makes Node's \`ws\` throw an error nobody hears; it is dropped
   * once connected, and closes by itself when it has no subscription left.
   */
  drop(): void {
    if (this.socket?.readyState === 1) this.client.terminate();
  }

  private expectPong(): void {
    clearTimeout(this.pongDeadline);
    this.pongDeadline = setTimeout(() => {
      if (this.socket?.readyState === 1) this.socket.close(4408, "No pong in time");
    }, PONG_WITHIN_MS);
  }

  private set(next: LiveState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
