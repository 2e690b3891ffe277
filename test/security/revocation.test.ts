import { CloseCode, createClient } from "graphql-ws";
import { WebSocket } from "ws";
import {
  AdminLogoutUserDocument,
  ChangePasswordDocument,
  LogoutDocument,
  MeDocument,
  MyActivityDocument,
  MySessionsDocument,
  RefreshSessionDocument,
  TerminateOtherSessionsDocument,
  TerminateSessionDocument,
  UserActivityDocument,
} from "../../web/src/gql/graphql";
import { login, PASSWORD, uniqueEmail, userWithSessions, type Signed } from "../helpers/accounts";
import { expectActive } from "../helpers/checks";
import { backdate } from "../helpers/database";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";
import { revocationOf, SESSION_REVOKED, watchRevocation, WsTestClient } from "../helpers/ws-client";

/**
 * The socket has heard nothing: its own session is ended now, and that ending must be the first
 * and only event it gets. Whatever was sent to it before, however late it is to arrive, comes
 * ahead of it on the same connection. Ends the session: the last check of that session.
 */
async function expectHeardNothing(server: { graphqlUrl: string }, socket: WsTestClient, own: Signed): Promise<void> {
  expect(socket.readyState).toBe(1);
  dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: own.accessToken }));
  const { event } = await revocationOf(socket);
  expect(event).toMatchObject({ sessionId: own.session.id, reason: "LOGOUT" });
  expect(socket.messagesOfType("next")).toHaveLength(1);
}

// Every way a session can end pushes exactly one event with its reason, then closes with 4403
// (CloseCode.Forbidden) and the reason, refuses a reconnect the same way, and the ended session's
// access token is refused on the very next HTTP request.
describe("sessionRevoked push", () => {
  const adminEmail = uniqueEmail("admin");
  // A short sweep interval: the EXPIRED push has no request to trigger it, only the sweeper.
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, SESSION_SWEEP_INTERVAL_MS: "200" });

  /** The device's socket was told once and closed; its access and refresh tokens are dead. */
  async function expectRevoked(client: WsTestClient, sessionId: string, reason: string, tokens: { accessToken: string; refreshToken: string }) {
    const { event, close } = await revocationOf(client);
    expect(event.sessionId).toBe(sessionId);
    expect(event.reason).toBe(reason);
    expect(new Date(event.revokedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // The close names the ending's reason (docs/api.md, Change 8), and so does the refusal of a device that comes back.
    expect(close).toMatchObject({ code: CloseCode.Forbidden, reason });
    expect(client.messagesOfType("next", "revoked")).toHaveLength(1);
    await expect(new WsTestClient(server.wsUrl).init({ authorization: `Bearer ${tokens.accessToken}` })).rejects.toMatchObject({ code: CloseCode.Forbidden, reason });
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: tokens.accessToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: tokens.refreshToken }))).toBe("UNAUTHENTICATED");
  }

  async function passwordRowOf(userId: string): Promise<{ passwordHash: string }> {
    const [row] = await server.db.query("SELECT password_hash AS \"passwordHash\" FROM users WHERE id = $1", [userId]);
    return row;
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

  test("[plan 11] logout: LOGOUT to the device's own socket, both tokens dead, a second logout harmless", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    expect(dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken })).logout).toBe(true);
    await expectRevoked(socket, a.session.id, "LOGOUT", a);
    // Again with the same token: refused as any dead token is, and nothing else ends.
    const again = await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken });
    expect(again.status).toBeLessThan(500);
    expect(codeOf(again)).toBe("UNAUTHENTICATED");
    await expectActive(server, b.accessToken);
  });

  test("[plan 17] terminateSession on the caller's own session is a logout: LOGOUT", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    const result = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: a.accessToken });
    expect(dataOf(result).terminateSession).toBe(true);
    await expectRevoked(socket, a.session.id, "LOGOUT", a);
  });

  test("[plan 28] terminateSession from another device: one TERMINATED event, then 4403, and only that session", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(server, 3);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketC = await watchRevocation(server, c.accessToken, c.session.id);
    const result = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken });
    expect(dataOf(result).terminateSession).toBe(true);
    await expectRevoked(socketA, a.session.id, "TERMINATED", a);
    expect(socketC.readyState).toBe(1);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: c.accessToken }));
    await expectHeardNothing(server, socketC, c);
  });

  test("[plan 18] terminateOtherSessions: TERMINATED_OTHERS to every other device, the caller's and other users' stay; again, 0", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(server, 3);
    const { sessions: [v] } = await userWithSessions(server, 1);
    const socketV = await watchRevocation(server, v.accessToken, v.session.id);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketB = await watchRevocation(server, b.accessToken, b.session.id);
    const socketC = await watchRevocation(server, c.accessToken, c.session.id);
    const result = await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: c.accessToken });
    expect(dataOf(result).terminateOtherSessions).toBe(2);
    await expectRevoked(socketA, a.session.id, "TERMINATED_OTHERS", a);
    await expectRevoked(socketB, b.session.id, "TERMINATED_OTHERS", b);
    expect(dataOf(await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: c.accessToken })).terminateOtherSessions).toBe(0);
    await expectActive(server, c.accessToken);
    await expectActive(server, v.accessToken);
    await expectHeardNothing(server, socketC, c);
    await expectHeardNothing(server, socketV, v);
  });

  test("[plan 19] changePassword: a wrong current password ends nothing and counts; the right one ends every other device (PASSWORD_CHANGED)", async () => {
    const { email, sessions: [a, b] } = await userWithSessions(server, 2);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const wrong = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: "not the password", newPassword: "a brand new password" }, { token: b.accessToken });
    expect(codeOf(wrong)).toBe("BAD_USER_INPUT");
    expect(wrong.errors?.[0].extensions?.field).toBe("currentPassword");
    await expectActive(server, a.accessToken);
    expect(socketA.messagesOfType("next")).toHaveLength(0);
    const failed = dataOf(await request(server.graphqlUrl, MyActivityDocument, { kinds: ["PASSWORD_CHANGE_FAILED"] }, { token: b.accessToken }));
    expect(failed.myActivity.nodes).toHaveLength(1);
    const { passwordHash: hashBefore } = await passwordRowOf(a.user.id);
    const rightAsked = Date.now();
    const result = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "a brand new password" }, { token: b.accessToken });
    expect(dataOf(result).changePassword).toBe(1);
    await expectRevoked(socketA, a.session.id, "PASSWORD_CHANGED", a);
    // The one ending socketA heard is the right password's: one the wrong password had sent would
    // have come first on that socket, and be older.
    expect(Date.parse((await revocationOf(socketA)).event.revokedAt)).toBeGreaterThanOrEqual(rightAsked);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken }));
    await expect(login(server, email)).rejects.toThrow(/UNAUTHENTICATED/);
    await login(server, email, undefined, "a brand new password");
    const { passwordHash } = await passwordRowOf(a.user.id);
    expect(passwordHash).toMatch(/^\$argon2id\$/);
    expect(passwordHash).not.toBe(hashBefore);
  });

  test("[plan 20] adminLogoutUser: ADMIN_LOGOUT to every device of the user, the admin's own untouched, the act recorded with who did it", async () => {
    const admin = await login(server, adminEmail);
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socketA = await watchRevocation(server, a.accessToken, a.session.id);
    const socketB = await watchRevocation(server, b.accessToken, b.session.id);
    const result = await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: a.user.id }, { token: admin.accessToken });
    expect(dataOf(result).adminLogoutUser).toBe(2);
    await expectRevoked(socketA, a.session.id, "ADMIN_LOGOUT", a);
    await expectRevoked(socketB, b.session.id, "ADMIN_LOGOUT", b);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: admin.accessToken }));
    const trail = dataOf(await request(server.graphqlUrl, UserActivityDocument, { userId: a.user.id, kinds: ["SESSION_ENDED"] }, { token: admin.accessToken }));
    expect(trail.userActivity.nodes).toHaveLength(2);
    for (const entry of trail.userActivity.nodes) {
      expect(entry).toMatchObject({ reason: "ADMIN_LOGOUT", byAdministrator: true, actor: { id: admin.user.id } });
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  test("[plan 8] a user deleted from the database: every device is told (ADMIN_LOGOUT) and closed, both tokens dead, the history stays", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const sockets = [await watchRevocation(server, a.accessToken, a.session.id), await watchRevocation(server, b.accessToken, b.session.id)];
    // As an operator's tool (or psql) would: the service learns of it only through the database.
    await server.db.query(`DELETE FROM users WHERE id = $1`, [a.user.id]);
    await expectRevoked(sockets[0], a.session.id, "ADMIN_LOGOUT", a);
    await expectRevoked(sockets[1], b.session.id, "ADMIN_LOGOUT", b);
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: b.refreshToken }))).toBe("UNAUTHENTICATED");
    const rows: { ended: boolean }[] = await server.db.query(`SELECT ended_at IS NOT NULL AS ended FROM sessions WHERE user_id = $1`, [a.user.id]);
    expect(rows).toEqual([{ ended: true }, { ended: true }]);
  });

  test("[plan 13] a rotated refresh token presented again: REFRESH_TOKEN_REUSE to the socket, every token of the session dead, the reuse recorded", async () => {
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
    const [{ kinds }] = await server.db.query("SELECT array_agg(kind ORDER BY id) AS kinds FROM activity WHERE session_id = $1", [a.session.id]);
    expect(kinds).toEqual(expect.arrayContaining(["REFRESH_TOKEN_REUSED", "SESSION_ENDED"]));
  });

  test("[plan 15] past expiresAt: the refresh is refused, the session is gone from the list, EXPIRED pushed by the sweeper within seconds", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    // As if it had gone its whole lifetime without a refresh; no request follows to notice.
    await backdate(server.db, a.session.id, { expiresInSeconds: 0 });
    const [{ expiresAt }]: { expiresAt: Date }[] = await server.db.query(`SELECT expires_at AS "expiresAt" FROM sessions WHERE id = $1`, [a.session.id]);
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "EXPIRED" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(Date.parse(event.revokedAt)).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }))).toBe("UNAUTHENTICATED");
    const listed = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: b.accessToken })).mySessions.map((s) => s.id);
    expect(listed).toEqual([b.session.id]);
  });

  test("[plan 28] each subscription gets the event as its own query asks for it: selections, aliases and fragments differ on one socket and across sockets", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const queries: Record<string, string> = {
      plain: "subscription { sessionRevoked { sessionId reason revokedAt } }",
      narrow: "subscription Narrow { sessionRevoked { reason } }",
      aliased: "subscription { why: sessionRevoked { kind: __typename because: reason id: sessionId } }",
      fragment: "subscription { sessionRevoked { ...F } } fragment F on SessionRevokedEvent { sessionId }",
    };
    const first = new WsTestClient(server.wsUrl);
    const second = new WsTestClient(server.wsUrl);
    for (const socket of [first, second]) await socket.init({ authorization: `Bearer ${a.accessToken}` });
    for (const [id, query] of Object.entries(queries)) first.subscribe(id, query);
    second.subscribe("plain", queries.plain);
    await until(() => server.services.connections.watchersOf(a.session.id) === 5);
    await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken });
    for (const socket of [first, second]) expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: "TERMINATED" });
    const payloads = Object.fromEntries(first.messagesOfType("next").map((m) => [m.id, m.payload]));
    const revokedAt = (payloads.plain as { data: { sessionRevoked: { revokedAt: string } } }).data.sessionRevoked.revokedAt;
    expect(Date.parse(revokedAt)).not.toBeNaN();
    expect(payloads).toEqual({
      plain: { data: { sessionRevoked: { sessionId: a.session.id, reason: "TERMINATED", revokedAt } } },
      narrow: { data: { sessionRevoked: { reason: "TERMINATED" } } },
      aliased: { data: { why: { kind: "SessionRevokedEvent", because: "TERMINATED", id: a.session.id } } },
      fragment: { data: { sessionRevoked: { sessionId: a.session.id } } },
    });
    expect(second.messages.filter((m) => m.id === "plain")).toEqual([
      { id: "plain", type: "next", payload: payloads.plain },
      { id: "plain", type: "complete" },
    ]);
    // Each subscription: its event, then its completion; nothing after them but the close.
    for (const id of Object.keys(queries)) expect(first.messages.filter((m) => m.id === id).map((m) => m.type)).toEqual(["next", "complete"]);
  });

  test("[plan 28] every socket of the session hears it, sockets of other sessions do not", async () => {
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
    await expectHeardNothing(server, other, b);
  });
});

describe("[plan 10] an ended session's access token is refused on the next request, on every instance", () => {
  const adminEmail = uniqueEmail("admin");
  const env = { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD };
  const one = useTestServer(env);
  const two = useTestServer(env);

  async function expectRefusedEverywhere(token: string) {
    for (const server of [one, two]) expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token }))).toBe("UNAUTHENTICATED");
  }

  test("[plan 10] after terminateSession, logout, terminateOtherSessions, adminLogoutUser and changePassword", async () => {
    const admin = await login(one, adminEmail);
    const { sessions: [a, b, c, d, e] } = await userWithSessions(one, 5);
    for (const s of [a, b, c, d, e]) await expectActive(two, s.accessToken);

    dataOf(await request(one.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken }));
    await expectRefusedEverywhere(a.accessToken);
    dataOf(await request(two.graphqlUrl, LogoutDocument, {}, { token: b.accessToken }));
    await expectRefusedEverywhere(b.accessToken);
    dataOf(await request(one.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: d.accessToken }));
    await expectRefusedEverywhere(c.accessToken);
    await expectRefusedEverywhere(e.accessToken);
    const f = await login(two, a.user.email);
    dataOf(await request(two.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "a brand new password" }, { token: d.accessToken }));
    await expectRefusedEverywhere(f.accessToken);
    await expectActive(one, d.accessToken);
    dataOf(await request(one.graphqlUrl, AdminLogoutUserDocument, { userId: a.user.id }, { token: admin.accessToken }));
    await expectRefusedEverywhere(d.accessToken);
  });
});

describe("sockets that may no longer act", () => {
  const server = useTestServer({ ACCESS_TOKEN_TTL_SECONDS: "2", CLOCK_TOLERANCE_SECONDS: "0" });

  test("[plan 30] sessionRevoked takes no argument naming someone else's session, and hears only its own", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const { sessions: [v] } = await userWithSessions(server, 1);
    const prying = new WsTestClient(server.wsUrl);
    await prying.init({ authorization: `Bearer ${v.accessToken}` });
    prying.subscribe("pry", `subscription { sessionRevoked(sessionId: "${a.session.id}") { sessionId reason } }`);
    const refused = await prying.waitFor((m) => m.id === "pry");
    expect(refused.type).toBe("error");
    expect(JSON.stringify(refused.payload)).toContain("GRAPHQL_VALIDATION_FAILED");
    prying.close();
    const own = await watchRevocation(server, v.accessToken, v.session.id);
    const watched = await watchRevocation(server, a.accessToken, a.session.id);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken }));
    expect((await revocationOf(watched)).event.sessionId).toBe(a.session.id);
    await expectHeardNothing(server, own, v);
  });

  test("[plan 31] past its access token's expiry a socket stays to hear the ending, but runs nothing else", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    socket.subscribe("before", "{ me { id } }");
    expect((await socket.waitFor((m) => m.id === "before")).payload).toEqual({ data: { me: { id: a.user.id } } });
    await sleep(Date.parse(a.accessTokenExpiresAt) - Date.now() + 100);
    socket.subscribe("after", "{ me { id } }");
    const after = await socket.waitFor((m) => m.id === "after" && (m.type === "next" || m.type === "error"));
    expect(JSON.stringify(after.payload)).toContain("UNAUTHENTICATED");
    expect(JSON.stringify(after.payload)).not.toContain(a.user.id);
    expect(socket.readyState).toBe(1);
    // What it stays for: the ending still reaches it, then the close.
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: (await login(server, b.user.email)).accessToken }));
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
  });
});

/** The library client as an app would run it, with a stale token, counting every close it sees. */
function stormingClient(server: { wsUrl: string }, accessToken: string, retryAttempts: number) {
  const closes: number[] = [];
  // A client set to retry for ever is stopped through its own shouldRetry: disposing it mid-connect rejects with the close.
  let stopped = false;
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${accessToken}` },
    retryAttempts,
    shouldRetry: () => !stopped,
    retryWait: () => sleep(10),
    on: { closed: (event) => closes.push((event as { code: number }).code) },
  });
  const gaveUp = new Promise<unknown>((resolve) => {
    client.subscribe({ query: SESSION_REVOKED }, { next: () => undefined, error: resolve, complete: () => resolve("complete") });
  });
  return {
    closes,
    gaveUp,
    dispose: async () => {
      stopped = true;
      await gaveUp;
      await client.dispose();
    },
  };
}

describe("[plan 29] a reconnect storm with an ended session's token", () => {
  describe("within the handshake rate", () => {
    const server = useTestServer({ WS_MAX_HANDSHAKES_PER_IP: "5" });

    test("[plan 29] every retry is refused with 4403 and graphql-ws stops at retryAttempts", async () => {
      const { sessions: [a] } = await userWithSessions(server, 1);
      dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken }));
      const storm = stormingClient(server, a.accessToken, 3);
      expect(await storm.gaveUp).toMatchObject({ code: CloseCode.Forbidden });
      expect(storm.closes).toEqual([CloseCode.Forbidden, CloseCode.Forbidden, CloseCode.Forbidden, CloseCode.Forbidden]);
      await storm.dispose();
    });
  });

  describe("past it (WS_MAX_CONNECTIONS_PER_IP=5, WS_MAX_HANDSHAKES_PER_IP=5 per 10 s)", () => {
    const server = useTestServer({ WS_MAX_CONNECTIONS_PER_IP: "5", WS_MAX_HANDSHAKES_PER_IP: "5" });

    test("[plan 29] a client that retries for ever is held to the steady rate: 1013 (retried) past the burst, each token checked at most 5 per 10 s", async () => {
      const { sessions: [a] } = await userWithSessions(server, 1);
      dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken }));
      const started = Date.now();
      const storm = stormingClient(server, a.accessToken, Infinity);
      await until(() => storm.closes.filter((code) => code === 1013).length >= 50, 10_000);
      const seconds = (Date.now() - started) / 1000;
      const checked = storm.closes.filter((code) => code === CloseCode.Forbidden).length;
      // The burst, then the refill of 0.5 a second: the token (and the database) is not asked more.
      expect(checked).toBeGreaterThanOrEqual(5);
      expect(checked).toBeLessThanOrEqual(5 + Math.ceil(seconds / 2));
      expect(new Set(storm.closes)).toEqual(new Set([CloseCode.Forbidden, 1013]));
      // 1013 is not fatal: the client is still trying, and keeps being told 1013.
      let gaveUp = false;
      void storm.gaveUp.then(() => (gaveUp = true));
      const seen = storm.closes.length;
      await until(() => storm.closes.slice(seen).filter((code) => code === 1013).length >= 20, 10_000);
      expect(gaveUp).toBe(false);
      await storm.dispose();
    });
  });
});
