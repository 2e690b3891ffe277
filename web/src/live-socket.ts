import { createClient, type Client } from "graphql-ws";
import { backoffDelay } from "./backoff";
import { REVOCATION_REASONS, type Session, type SignedOutReason } from "./session";

/** What the page shows about its live connection, and what tells its lists to reload. */
export interface LiveState {
  /** False from the moment the socket drops until it is back (and before the first connect). */
  connected: boolean;
  /** How many times the socket has come back; lists refetch when it grows, to show what they missed. */
  reconnects: number;
}

// graphql-ws's close code for a bad token or an ended session (then the reason names the ending).
const FORBIDDEN = 4403;
// How often an idle socket is pinged, and how long a pong may take before the socket counts as dead
// (a laptop that slept, a network that dropped without a FIN: the browser would wait minutes).
const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;

/**
 * The page's one graphql-ws client. It reconnects for as long as the page is signed in, on a
 * capped, jittered back-off that is cut short when the network comes back (`online`) or the tab
 * is shown again. A 4403 is not retried blindly: with an ending's reason it signs the page out
 * with that reason; without one (the token was refused) it refreshes first, and a refused
 * refresh signs the page out.
 */
export function createLiveSocket(url: string, session: Session): { client: Client; state: () => LiveState; subscribe: (listener: () => void) => () => void } {
  let state: LiveState = { connected: false, reconnects: 0 };
  const listeners = new Set<() => void>();
  const set = (next: LiveState) => {
    state = next;
    for (const listener of listeners) listener();
  };

  let wake: (() => void) | null = null;
  let socket: WebSocket | null = null;
  let pongDeadline: ReturnType<typeof setTimeout> | undefined;
  const expectPong = () => {
    clearTimeout(pongDeadline);
    pongDeadline = setTimeout(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.close(4408, "No pong in time");
    }, PONG_WITHIN_MS);
  };

  const client = createClient({
    url,
    lazy: true,
    keepAlive: PING_EVERY_MS,
    retryAttempts: Infinity,
    shouldRetry: () => session.state.status === "signed-in",
    retryWait: (retries) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, backoffDelay(retries));
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    connectionParams: async () => {
      const token = await session.freshToken();
      // Thrown, not sent: graphql-ws then closes with 4500 and stops, as it should once signed out.
      if (!token) throw new Error("signed out");
      return { authorization: `Bearer ${token}` };
    },
    on: {
      connected: (connected, _payload, wasRetry) => {
        socket = connected as WebSocket;
        set({ connected: true, reconnects: state.reconnects + (wasRetry ? 1 : 0) });
      },
      ping: (received) => {
        if (!received) expectPong();
      },
      pong: (received) => {
        if (received) clearTimeout(pongDeadline);
      },
      closed: (event) => {
        socket = null;
        clearTimeout(pongDeadline);
        if (state.connected) set({ ...state, connected: false });
        const { code, reason } = event as CloseEvent;
        if (code !== FORBIDDEN) return;
        if ((REVOCATION_REASONS as readonly string[]).includes(reason)) session.ended(reason as SignedOutReason);
        // The token itself was refused (expired while the page slept): a refresh tells whether the session lives.
        else void session.refresh();
      },
    },
  });

  // Back at once when the network or the tab returns, instead of at the end of a long back-off.
  // A socket that looks open after a sleep may be dead: a ping finds out within PONG_WITHIN_MS.
  const comeBack = () => {
    if (wake) wake();
    else if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "ping" }));
      expectPong();
    }
  };
  addEventListener("online", comeBack);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") comeBack();
  });

  return {
    client,
    state: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
