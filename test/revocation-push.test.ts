import { CloseCode } from "graphql-ws";
import {
  AdminLogoutUserDocument,
  ChangePasswordDocument,
  LogoutDocument,
  MeDocument,
  RefreshSessionDocument,
  TerminateOtherSessionsDocument,
  TerminateSessionDocument,
} from "./generated/graphql";
import { login, PASSWORD, uniqueEmail, userWithSessions } from "./helpers/accounts";
import { backdate } from "./helpers/database";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";
import { until } from "./helpers/time";
import { revocationOf, watchRevocation, WsTestClient } from "./helpers/ws-client";

// Every way a session can end pushes exactly one event with its reason, then closes with 4403
// (CloseCode.Forbidden), and the ended session's access token is refused on the very next HTTP request.
describe("sessionRevoked push", () => {
  const adminEmail = uniqueEmail("admin");
  // A short sweep interval: the EXPIRED push has no request to trigger it, only the sweeper.
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, SESSION_SWEEP_INTERVAL_MS: "200" });

  async function expectRevoked(client: WsTestClient, sessionId: string, reason: string, token: string) {
    const { event, close } = await revocationOf(client);
    expect(event.sessionId).toBe(sessionId);
    expect(event.reason).toBe(reason);
    expect(new Date(event.revokedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(client.messagesOfType("next", "revoked")).toHaveLength(1);
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token }))).toBe("UNAUTHENTICATED");
  }

  // First, while no other test's socket is still closing: it counts every connection on the server.
  test("sockets are forgotten when they close, even when they leave during authentication", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const before = server.services.connections.connectionCount;
    const quitters = Array.from({ length: 5 }, () => new WsTestClient(server.wsUrl));
    for (const socket of quitters) {
      await socket.opened;
      socket.send({ type: "connection_init", payload: { authorization: `Bearer ${a.accessToken}` } });
      socket.close();
    }
    const stayer = await watchRevocation(server, a.accessToken, a.session.id);
    await until(() => server.services.connections.connectionCount === before + 1);
    stayer.close();
    await stayer.closed;
    await until(() => server.services.connections.connectionCount === before);
  });

  test("logout: LOGOUT to the device's own socket", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    expect(dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken })).logout).toBe(true);
    await expectRevoked(socket, a.session.id, "LOGOUT", a.accessToken);
  });

  test("terminateSession on the caller's own session: LOGOUT", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    const result = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: a.accessToken });
    expect(dataOf(result).terminateSession).toBe(true);
    await expectRevoked(socket, a.session.id, "LOGOUT", a.accessToken);
  });

  test("terminateSession from another device: TERMINATED, and only that session", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(server, 3);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketC = await watchRevocation(server, c.accessToken, c.session.id);
    const result = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken });
    expect(dataOf(result).terminateSession).toBe(true);
    await expectRevoked(socketA, a.session.id, "TERMINATED", a.accessToken);
    expect(socketC.messagesOfType("next")).toHaveLength(0);
    expect(socketC.readyState).toBe(1);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: c.accessToken }));
    socketC.close();
  });

  test("terminateOtherSessions: TERMINATED_OTHERS to every other device, the caller's stays", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(server, 3);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketB = await watchRevocation(server, b.accessToken, b.session.id);
    const socketC = await watchRevocation(server, c.accessToken, c.session.id);
    const result = await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: c.accessToken });
    expect(dataOf(result).terminateOtherSessions).toBe(2);
    await expectRevoked(socketA, a.session.id, "TERMINATED_OTHERS", a.accessToken);
    await expectRevoked(socketB, b.session.id, "TERMINATED_OTHERS", b.accessToken);
    expect(socketC.messagesOfType("next")).toHaveLength(0);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: c.accessToken }));
    socketC.close();
  });

  test("changePassword: PASSWORD_CHANGED to every other device", async () => {
    const { email, sessions: [a, b] } = await userWithSessions(server, 2);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const result = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "a brand new password" }, { token: b.accessToken });
    expect(dataOf(result).changePassword).toBe(1);
    await expectRevoked(socketA, a.session.id, "PASSWORD_CHANGED", a.accessToken);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken }));
    await expect(login(server, email)).rejects.toThrow(/UNAUTHENTICATED/);
    await login(server, email, undefined, "a brand new password");
  });

  test("adminLogoutUser: ADMIN_LOGOUT to every device of the user", async () => {
    const admin = await login(server, adminEmail);
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketB = await watchRevocation(server, b.accessToken, b.session.id);
    const result = await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: a.user.id }, { token: admin.accessToken });
    expect(dataOf(result).adminLogoutUser).toBe(2);
    await expectRevoked(socketA, a.session.id, "ADMIN_LOGOUT", a.accessToken);
    await expectRevoked(socketB, b.session.id, "ADMIN_LOGOUT", b.accessToken);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: admin.accessToken }));
  });

  test("a user deleted from the database: every device is told (ADMIN_LOGOUT) and the history stays", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const sockets = [await watchRevocation(server, a.accessToken, a.session.id), await watchRevocation(server, b.accessToken, b.session.id)];
    // As an operator's tool (or psql) would: the service learns of it only through the database.
    await server.db.query(`DELETE FROM users WHERE id = $1`, [a.user.id]);
    await expectRevoked(sockets[0], a.session.id, "ADMIN_LOGOUT", a.accessToken);
    await expectRevoked(sockets[1], b.session.id, "ADMIN_LOGOUT", b.accessToken);
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: b.refreshToken }))).toBe("UNAUTHENTICATED");
    const rows: { ended: boolean }[] = await server.db.query(`SELECT ended_at IS NOT NULL AS ended FROM sessions WHERE user_id = $1`, [a.user.id]);
    expect(rows).toEqual([{ ended: true }, { ended: true }]);
  });

  test("a rotated refresh token presented again: REFRESH_TOKEN_REUSE", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    const rotated = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken })).refreshSession;
    // Past the grace window that forgives a second tab's late refresh: this is a replay.
    await backdate(server.db, a.session.id, { rotatedSecondsAgo: server.config.refreshReuseGraceSeconds + 1 });
    const replay = await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken });
    expect(codeOf(replay)).toBe("UNAUTHENTICATED");
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "REFRESH_TOKEN_REUSE" });
    expect(close.code).toBe(CloseCode.Forbidden);
    // The thief's and the owner's newest tokens die with the session.
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: rotated.accessToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: rotated.refreshToken }))).toBe("UNAUTHENTICATED");
  });

  test("inactivity past expiresAt: EXPIRED, pushed by the sweeper within seconds", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    // As if it had gone its whole lifetime without a refresh; no request follows to notice.
    await backdate(server.db, a.session.id, { expiresInSeconds: 0 });
    const { expiresAt } = (await server.services.sessions.findSession(a.session.id))!;
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "EXPIRED" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(Date.parse(event.revokedAt)).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }))).toBe("UNAUTHENTICATED");
  });

  test("every socket of the session hears it, sockets of other sessions do not", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const first = await watchRevocation(server, a.accessToken, a.session.id);
    const second = await watchRevocation(server, a.accessToken, a.session.id);
    const other = await watchRevocation(server, b.accessToken, b.session.id);
    await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken });
    for (const socket of [first, second]) {
      const { event, close } = await revocationOf(socket);
      expect(event.reason).toBe("TERMINATED");
      expect(close.code).toBe(CloseCode.Forbidden);
    }
    expect(other.messagesOfType("next")).toHaveLength(0);
    other.close();
  });
});
