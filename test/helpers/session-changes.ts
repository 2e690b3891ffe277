import type { TestServer } from "./test-server";
import { until } from "./time";
import { WsTestClient } from "./ws-client";

export const MY_SESSIONS_CHANGED = `subscription { mySessionsChanged { change reason at session { id isCurrent deviceType browser signals location { country } } } }`;

export interface ChangeEvent {
  change: string;
  reason: string | null;
  at: string;
  session: { id: string; isCurrent: boolean; deviceType: string; browser: string; signals: string[]; location: { country: string } | null };
}

/** A socket of this session subscribed to mySessionsChanged; waits until the server holds the feed. */
export async function watchChanges(server: TestServer, signed: { accessToken: string; user: { id: string } }): Promise<WsTestClient> {
  const socket = new WsTestClient(server.wsUrl);
  await socket.init({ authorization: `Bearer ${signed.accessToken}` });
  await subscribeChanges(server, socket, signed.user.id);
  return socket;
}

/**
 * Subscribes a socket already open for one of the user's sessions to mySessionsChanged too
 * (id "changes"), e.g. beside sessionRevoked, so that both arrive on one connection, in order.
 */
export async function subscribeChanges(server: TestServer, socket: WsTestClient, userId: string): Promise<void> {
  const before = server.services.feeds.feedsOf(userId);
  socket.subscribe("changes", MY_SESSIONS_CHANGED);
  await until(() => server.services.feeds.feedsOf(userId) > before);
}

/** The n-th mySessionsChanged event on the socket (0-based). */
export async function changeOn(socket: WsTestClient, n = 0): Promise<ChangeEvent> {
  await socket.waitFor(() => socket.messagesOfType("next", "changes").length > n);
  return changesOn(socket)[n];
}

/** Every mySessionsChanged event the socket has received so far, in order. */
export function changesOn(socket: WsTestClient): ChangeEvent[] {
  return socket.messagesOfType("next", "changes").map((m) => (m.payload as { data: { mySessionsChanged: ChangeEvent } }).data.mySessionsChanged);
}

