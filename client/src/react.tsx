import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import type { LiveState } from "./live-socket.js";
import type { SessionClient, SessionStatus } from "./session-client.js";
import type { ActivityEntry, Session, SignedOut } from "./types.js";

const SessionContext = createContext<SessionClient | null>(null);

/** Makes one client available to the components below it. */
export function SessionProvider(props: { client: SessionClient; children?: ReactNode }) {
  return <SessionContext.Provider value={props.client}>{props.children}</SessionContext.Provider>;
}

export function useSessionClient(): SessionClient {
  const client = useContext(SessionContext);
  if (!client) throw new Error("useSessionClient needs a <SessionProvider client={…}> above it");
  return client;
}

/** Whether the device is signed in, why it was signed out, and the live connection: re-rendered as they change. */
export function useSession(): { client: SessionClient; status: SessionStatus; signedIn: boolean; signedOut: SignedOut | null; live: LiveState } {
  const client = useSessionClient();
  const subscribe = useCallback((listener: () => void) => client.onChange(listener), [client]);
  const status = useSyncExternalStore(subscribe, () => client.status);
  const signedOut = useSyncExternalStore(subscribe, () => client.signedOut);
  const live = useSyncExternalStore(subscribe, () => client.live);
  return { client, status, signedIn: status === "signed-in", signedOut, live };
}

/** The caller's sessions, live (null until first read): every start and end, and a fresh read after each reconnect. */
export function useSessions(): Session[] | null {
  const { client, signedIn } = useSession();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  useEffect(() => (signedIn ? client.watchSessions(setSessions) : undefined), [client, signedIn]);
  return sessions;
}

/** The account's activity, newest first, a page at a time; read again when `key` changes. */
export function useActivity(options: { first?: number; key?: unknown } = {}) {
  const client = useSessionClient();
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const page = await client.activity({ first: options.first, after });
        setEntries((list) => (after ? [...list, ...page.entries] : page.entries));
        setNext(page.next);
        setError(null);
      } catch (caught) {
        setError(caught as Error);
      } finally {
        setLoading(false);
      }
    },
    [client, options.first],
  );
  useEffect(() => void load(null), [load, options.key]);
  return { entries, loading, error, hasMore: next !== null, loadMore: () => (next ? load(next) : Promise.resolve()), reload: () => load(null) };
}
