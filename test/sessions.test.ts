import {
  LogoutDocument,
  MeDocument,
  MySessionsDocument,
  RefreshSessionDocument,
  TerminateOtherSessionsDocument,
  TerminateSessionDocument,
} from "../web/src/gql/graphql";
import { login, USER_AGENTS, userWithSessions } from "./helpers/accounts";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { expectActive } from "./helpers/checks";
import { backdate } from "./helpers/database";
import { useTestServer } from "./helpers/test-server";
import { until } from "./helpers/time";

const secondsFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

// Listing and ending share one server: nothing in the ending tests depends on the resolution.
describe("listing and ending sessions", () => {
  const server = useTestServer({ LAST_ACTIVE_RESOLUTION_SECONDS: "1" });

  describe("listing sessions", () => {
    const mySessions = async (token: string) => dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token })).mySessions;
    /** For each session, whether its lastActiveAt was written in the last `seconds`. */
    const movedWithin = async (ids: string[], seconds: number): Promise<boolean[]> => {
      const rows: { moved: boolean }[] = await server.db.query(
        "SELECT last_active_at > now() - make_interval(secs => $2) AS moved FROM sessions WHERE id = ANY($1::uuid[])",
        [ids, seconds],
      );
      return rows.map((row) => row.moved);
    };

    test("the current session first, then the most recently active; only the caller's own", async () => {
      const { email, sessions: [a] } = await userWithSessions(server, 1);
      const b = await login(server, email, USER_AGENTS.windowsEdge);
      const c = await login(server, email, USER_AGENTS.iphoneSafari);
      const stranger = await userWithSessions(server, 2);
      for (const s of [a, b, c]) await backdate(server.db, s.session.id, { lastActiveSeconds: 10 });
      await backdate(server.db, c.session.id, { lastActiveSeconds: 5 });
      // b becomes the most recently active of the others, once the writer (once a second) has run.
      await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken });
      await until(async () => (await movedWithin([b.session.id], 2)).every(Boolean));

      const listed = await mySessions(a.accessToken);
      expect(listed.map((s) => s.id)).toEqual([a.session.id, b.session.id, c.session.id]);
      expect(listed.map((s) => s.isCurrent)).toEqual([true, false, false]);
      expect(listed.map((s) => s.deviceType)).toEqual(["Macintosh", "Windows", "iOS"]);
      expect(listed.some((s) => stranger.sessions.some((t) => t.session.id === s.id))).toBe(false);

      const fromC = await mySessions(c.accessToken);
      expect(fromC[0]).toMatchObject({ id: c.session.id, isCurrent: true });
      expect(fromC.filter((s) => s.isCurrent)).toHaveLength(1);
    });

    test("a session's details: device, browser, IP, no location for loopback, 24 h expiry", async () => {
      const { sessions: [a] } = await userWithSessions(server, 1);
      const [session] = await mySessions(a.accessToken);
      expect(session).toMatchObject({
        id: a.session.id,
        deviceType: "Macintosh",
        os: "Mac OS 10.15.7",
        browser: "Chrome",
        browserVersion: "131.0.0.0",
        userAgent: USER_AGENTS.macChrome,
        ipAddress: "127.0.0.1",
        location: null,
        isCurrent: true,
      });
      expect(secondsFromNow(session.expiresAt)).toBeGreaterThan(86400 - 60);
      expect(secondsFromNow(session.expiresAt)).toBeLessThanOrEqual(86400);
      expect(Date.parse(session.createdAt)).toBeLessThanOrEqual(Date.parse(session.lastActiveAt));
      expect(secondsFromNow(a.accessTokenExpiresAt)).toBeGreaterThan(3600 - 60);
      expect(a.refreshTokenExpiresAt).toBe(session.expiresAt);
    });

    test("ended sessions are no longer listed", async () => {
      const { sessions: [a, b, c] } = await userWithSessions(server, 3);
      await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken });
      await request(server.graphqlUrl, LogoutDocument, {}, { token: c.accessToken });
      expect((await mySessions(a.accessToken)).map((s) => s.id)).toEqual([a.session.id]);
    });

    test("lastActiveAt moves on authenticated requests, written after the request, in one statement for many sessions", async () => {
      const { sessions } = await userWithSessions(server, 3);
      const before = Date.parse((await mySessions(sessions[0].accessToken))[0].lastActiveAt);
      for (const s of sessions) await backdate(server.db, s.session.id, { lastActiveSeconds: 2 });
      for (const s of sessions) await request(server.graphqlUrl, MeDocument, {}, { token: s.accessToken });
      // The writer runs once a second, off the request path.
      await until(async () => (await movedWithin(sessions.map((s) => s.session.id), 1.5)).every(Boolean));
      expect(Date.parse((await mySessions(sessions[0].accessToken))[0].lastActiveAt)).toBeGreaterThanOrEqual(before);
    });
  });

  describe("ending sessions", () => {

    test("terminateSession is true while active, false once ended; the token dies with it", async () => {
      const { sessions: [a, b] } = await userWithSessions(server, 2);
      const terminate = () => request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken });
      expect(dataOf(await terminate()).terminateSession).toBe(true);
      expect(dataOf(await terminate()).terminateSession).toBe(false);
      expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: b.refreshToken }))).toBe("UNAUTHENTICATED");
      await expectActive(server, a.accessToken);
    });

    test("terminateSession of the caller's own session is a logout, whatever the case of its id; of another of theirs, TERMINATED", async () => {
      const { sessions: [a, b] } = await userWithSessions(server, 2);
      const terminate = (sessionId: string) => request(server.graphqlUrl, TerminateSessionDocument, { sessionId }, { token: a.accessToken });
      expect(dataOf(await terminate(b.session.id.toUpperCase())).terminateSession).toBe(true);
      expect(dataOf(await terminate(a.session.id.toUpperCase())).terminateSession).toBe(true);
      const rows: { id: string; end_reason: string }[] = await server.db.query("SELECT id, end_reason FROM sessions WHERE id = ANY($1::uuid[])", [[a.session.id, b.session.id]]);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.end_reason]))).toEqual({ [a.session.id]: "LOGOUT", [b.session.id]: "TERMINATED" });
    });

    test("terminateOtherSessions counts what it ended and leaves other users alone", async () => {
      const { sessions: [a, b, c] } = await userWithSessions(server, 3);
      const other = await userWithSessions(server, 1);
      const terminate = () => request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: a.accessToken });
      expect(dataOf(await terminate()).terminateOtherSessions).toBe(2);
      expect(dataOf(await terminate()).terminateOtherSessions).toBe(0);
      for (const ended of [b, c]) {
        expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: ended.accessToken }))).toBe("UNAUTHENTICATED");
      }
      dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }));
      dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: other.sessions[0].accessToken }));
    });

    test("logout ends only the current session; its refresh token is dead too", async () => {
      const { sessions: [a, b] } = await userWithSessions(server, 2);
      expect(dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken })).logout).toBe(true);
      expect(codeOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }))).toBe("UNAUTHENTICATED");
      dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken }));
    });
  });

});

describe("expiry after inactivity", () => {
  // No leeway and no sweep in the way: the session's own expiry, in real time, is what ends it.
  const server = useTestServer({ REFRESH_TOKEN_TTL_SECONDS: "3", CLOCK_TOLERANCE_SECONDS: "0", SESSION_SWEEP_INTERVAL_MS: "60000" });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

  test("refreshing slides the expiry; without it the session ends even before any sweep", async () => {
    const { sessions: [a, idle] } = await userWithSessions(server, 2);
    expect(secondsFromNow(a.refreshTokenExpiresAt)).toBeLessThanOrEqual(3);
    // No access token outlives its session.
    expect(Date.parse(idle.accessTokenExpiresAt)).toBeLessThanOrEqual(Date.parse(idle.refreshTokenExpiresAt));
    // Two seconds of the three pass, for both sessions; then one of them is refreshed.
    await sleep(Date.parse(a.refreshTokenExpiresAt) - Date.now() - 1000);
    const next = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken })).refreshSession;
    expect(secondsFromNow(next.refreshTokenExpiresAt)).toBeGreaterThan(2);
    // Past the idle session's expiry: the refreshed session lives, the idle one is gone (no sweep has run).
    await sleep(Date.parse(idle.refreshTokenExpiresAt) - Date.now() + 300);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: next.accessToken }));
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: idle.accessToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: idle.refreshToken }))).toBe("UNAUTHENTICATED");
    const listed = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: next.accessToken })).mySessions;
    expect(listed.map((s) => s.id)).toEqual([a.session.id]);
  });
});

describe("retention (SESSION_RETENTION_DAYS, default 90)", () => {
  const server = useTestServer({ SESSION_SWEEP_INTERVAL_MS: "100" });

  test("sessions that ended more than 90 days ago are deleted with their refresh tokens; newer ones stay", async () => {
    const { sessions: [old, recent, active] } = await userWithSessions(server, 3);
    for (const s of [old, recent]) dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: s.accessToken }));
    await server.db.query(`UPDATE sessions SET ended_at = now() - interval '91 days' WHERE id = $1`, [old.session.id]);
    await server.db.query(`UPDATE sessions SET ended_at = now() - interval '89 days' WHERE id = $1`, [recent.session.id]);
    const rowsOf = async (sessionId: string) =>
      (await server.db.query(`SELECT (SELECT count(*) FROM sessions WHERE id = $1)::int AS sessions, (SELECT count(*) FROM refresh_tokens WHERE session_id = $1)::int AS tokens`, [sessionId]))[0];
    // The sweeper runs every 100 ms here: give it a few rounds.
    const deadline = Date.now() + 5000;
    while ((await rowsOf(old.session.id)).sessions > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await rowsOf(old.session.id)).toEqual({ sessions: 0, tokens: 0 });
    expect(await rowsOf(recent.session.id)).toEqual({ sessions: 1, tokens: 1 });
    expect(await rowsOf(active.session.id)).toEqual({ sessions: 1, tokens: 1 });
  });
});
