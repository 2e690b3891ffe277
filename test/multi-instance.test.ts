import { CloseCode } from "graphql-ws";
import Redis from "ioredis";
import { WebSocket } from "ws";
import { AdminLogoutUserDocument, LoginDocument, MeDocument, TerminateSessionDocument } from "../web/src/gql/graphql";
import { login, PASSWORD, uniqueEmail, USER_AGENTS, userWithSessions } from "./helpers/accounts";
import { changeOn, subscribeChanges, watchChanges } from "./helpers/session-changes";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { startTestServer, useTestServer } from "./helpers/test-server";
import { revocationOf, watchRevocation } from "./helpers/ws-client";

// Several instances share one PostgreSQL; Redis carries revocations between them. The embedded
// database belongs to one process, so these run in CI's PostgreSQL pass.
const sharedDatabase = Boolean(process.env.DATABASE_URL);
const describeShared = sharedDatabase && process.env.REDIS_URL ? describe : describe.skip;

describeShared("two instances behind one Redis", () => {
  const adminEmail = uniqueEmail("admin");
  // A long sweep interval: what arrives quickly can only have come through Redis.
  // The per-IP count of 127.0.0.1 lives in the shared Redis for the window: not what is tested here.
  const env = { REDIS_URL: process.env.REDIS_URL, SESSION_SWEEP_INTERVAL_MS: "600000", ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, LOGIN_MAX_FAILURES_PER_IP: "1000000" };
  const a = useTestServer(env);
  const b = useTestServer(env);

  test("a session ended on one instance is pushed to its socket on the other and refused by both", async () => {
    const { sessions: [s1, s2] } = await userWithSessions(a, 2);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s2.accessToken }));
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: s1.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
    for (const server of [a, b]) {
      expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: s1.accessToken }))).toBe("UNAUTHENTICATED");
    }
  });

  test("an ending published on Redis that the database does not know of is not pushed", async () => {
    const { sessions: [s1, s2] } = await userWithSessions(a, 2);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    // The same connection also lists the user's sessions, so the marker below arrives on it.
    await subscribeChanges(a, socket, s1.user.id);
    // The marker: s2 ended behind the services' back (psql), which A reads from the log only in ten minutes.
    await a.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'TERMINATED' WHERE id = $1`, [s2.session.id]);
    // Whoever can publish on the channel, e.g. with a stolen Redis password: a claim the database
    // does not know of (s1), and in the same message one it does (s2), checked together.
    const forger = new Redis(process.env.REDIS_URL!);
    try {
      const claim = (sessionId: string) => ({ sessionId, userId: s1.user.id, reason: "ADMIN_LOGOUT", endedAt: new Date().toISOString(), endedBy: null });
      const forged = { from: "attacker", events: [claim(s1.session.id), claim(s2.session.id)] };
      expect(await forger.publish("session-service:revocations", JSON.stringify(forged))).toBeGreaterThanOrEqual(2);
    } finally {
      forger.disconnect();
    }
    // The message arrived and was checked: the true claim is pushed, as the database tells it...
    expect(await changeOn(socket, 0)).toMatchObject({ change: "ENDED", reason: "TERMINATED", session: { id: s2.session.id } });
    // ...and up to it nothing else was pushed, nothing closed.
    expect(socket.messagesOfType("next").map((m) => m.id)).toEqual(["changes"]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    dataOf(await request(a.graphqlUrl, MeDocument, {}, { token: s1.accessToken }));
    // A real ending still comes through, as the database tells it.
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s1.accessToken }));
    expect((await revocationOf(socket)).event).toMatchObject({ sessionId: s1.session.id, reason: "LOGOUT" });
  });

  test("failed logins count on every instance and outlive an instance: the limits live in Redis", async () => {
    const { email } = await userWithSessions(a, 1);
    const wrong = (server: typeof a) => request(server.graphqlUrl, LoginDocument, { email, password: "not the password" });
    for (const server of [a, a, a, b, b]) expect(codeOf(await wrong(server))).toBe("UNAUTHENTICATED");
    // Five failures, split over two instances: the account's limit (5) is reached on both.
    for (const server of [a, b]) expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }))).toBe("RATE_LIMITED");
    const restarted = await startTestServer(env);
    try {
      expect(codeOf(await request(restarted.graphqlUrl, LoginDocument, { email, password: PASSWORD }))).toBe("RATE_LIMITED");
    } finally {
      await restarted.stop();
    }
  });

  test("a parallel burst of guesses split over two instances gets no more password checks than the limit", async () => {
    const { email } = await userWithSessions(b, 1);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request((i % 2 ? a : b).graphqlUrl, LoginDocument, { email, password: `guess ${i}` })),
    );
    const codes = burst.map(codeOf);
    expect(codes.filter((code) => code === "UNAUTHENTICATED")).toHaveLength(5);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(15);
  });

  test("mySessionsChanged: a login and an ending on one instance reach the user's subscription on the other, not another user's", async () => {
    const { email, sessions: [s1] } = await userWithSessions(a, 1);
    const { email: otherEmail, sessions: [other] } = await userWithSessions(a, 1);
    const mine = await watchChanges(a, s1);
    const theirs = await watchChanges(a, other);
    const s2 = await login(b, email, USER_AGENTS.windowsEdge);
    expect(await changeOn(mine, 0)).toMatchObject({ change: "STARTED", session: { id: s2.session.id, isCurrent: false, signals: ["NEW_DEVICE"] } });
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s2.session.id }, { token: s2.accessToken }));
    expect(await changeOn(mine, 1)).toMatchObject({ change: "ENDED", reason: "LOGOUT", session: { id: s2.session.id } });
    // A marker for the other user, the same way after those: up to it, their socket heard nothing else.
    const otherAgain = await login(b, otherEmail);
    expect(await changeOn(theirs, 0)).toMatchObject({ change: "STARTED", session: { id: otherAgain.session.id } });
    expect(theirs.messagesOfType("next")).toHaveLength(1);
    mine.close();
    theirs.close();
  });

  test("an administrator's logout reaches the user's sockets on every instance", async () => {
    const admin = await login(b, adminEmail);
    const { sessions: [s1, s2] } = await userWithSessions(a, 2);
    const onA = await watchRevocation(a, s1.accessToken, s1.session.id);
    const onB = await watchRevocation(b, s2.accessToken, s2.session.id);
    expect(dataOf(await request(a.graphqlUrl, AdminLogoutUserDocument, { userId: s1.user.id }, { token: admin.accessToken })).adminLogoutUser).toBe(2);
    for (const socket of [onA, onB]) {
      const { event, close } = await revocationOf(socket);
      expect(event.reason).toBe("ADMIN_LOGOUT");
      expect(close.code).toBe(CloseCode.Forbidden);
    }
  });
});
