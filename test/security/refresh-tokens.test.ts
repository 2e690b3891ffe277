import { createHash } from "node:crypto";
import { ChangePasswordDocument, LogoutDocument, MeDocument, RefreshSessionDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp, userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { backdate } from "../helpers/database";
import { captureLog } from "../helpers/log-capture";
import { useTestServer } from "../helpers/test-server";

// Rotation, reuse detection and the grace window (docs/api.md, "Tokens and sessions").
describe("refreshSession", () => {
  const log = captureLog("debug");
  const server = useTestServer({ REFRESH_REUSE_GRACE_SECONDS: "2" }, { logger: log.logger });
  const other = useTestServer({ REFRESH_REUSE_GRACE_SECONDS: "2" });

  const refresh = (refreshToken: string) => request(server.graphqlUrl, RefreshSessionDocument, { refreshToken });

  test("[plan 12] rotates: a new pair for the same session, a later expiry, a working access token", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    await backdate(server.db, a.session.id, { expiresInSeconds: 3600, lastActiveSeconds: 60 });
    const next = dataOf(await refresh(a.refreshToken)).refreshSession;
    expect(next.session.id).toBe(a.session.id);
    expect(next.refreshToken).not.toBe(a.refreshToken);
    expect(next.refreshToken.length).toBeGreaterThanOrEqual(43);
    expect(next.accessToken).not.toBe(a.accessToken);
    expect(Date.parse(next.refreshTokenExpiresAt)).toBeGreaterThan(Date.parse(a.refreshTokenExpiresAt));
    expect(Date.parse(next.session.lastActiveAt)).toBeGreaterThanOrEqual(Date.parse(a.session.lastActiveAt));
    expect(next.user.id).toBe(a.user.id);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: next.accessToken }));
  });

  test("[plan 12] refresh tokens: a new one on every use, at least 256 random bits, only their SHA-256 stored, never logged", async () => {
    const signed = await signUp(server);
    const tokens = [signed.refreshToken];
    for (let i = 0; i < 3; i++) {
      const refreshed = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: tokens[tokens.length - 1] }));
      tokens.push(refreshed.refreshSession.refreshToken);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);
    }

    const rows: Record<string, unknown>[] = await server.db.query(`SELECT * FROM refresh_tokens WHERE session_id = $1`, [signed.session.id]);
    const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");
    expect(rows.map((r) => r.token_hash).sort()).toEqual(tokens.map(sha256).sort());
    const [session]: Record<string, unknown>[] = await server.db.query(`SELECT * FROM sessions WHERE id = $1`, [signed.session.id]);
    const stored = JSON.stringify([rows, session]);
    for (const token of tokens) expect(stored).not.toContain(token);
    // Each spent token keeps its place in the session's chain.
    expect(rows.filter((r) => r.rotated_at !== null)).toHaveLength(3);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set([signed.session.id]));
    const logged = log.lines.join("");
    for (const token of tokens) expect(logged).not.toContain(token);
  });

  test("within the grace window the old token returns the session's current pair", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const first = dataOf(await refresh(a.refreshToken)).refreshSession;
    const second = dataOf(await refresh(first.refreshToken)).refreshSession;
    // A tab still holding the first token catches up with the newest one, two rotations on.
    const late = dataOf(await refresh(a.refreshToken)).refreshSession;
    expect(late.refreshToken).toBe(second.refreshToken);
    expect(late.session.id).toBe(a.session.id);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: late.accessToken }));
    // The current token still rotates normally afterwards.
    const third = dataOf(await refresh(second.refreshToken)).refreshSession;
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  test("[plan 14] concurrent refreshes with one token, split over two instances, all succeed within the grace window, with one live token", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => request((i % 2 ? other : server).graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken })),
    );
    const tokens = new Set(results.map((r) => dataOf(r).refreshSession.refreshToken));
    expect(tokens.size).toBe(1);
    const [current] = tokens;
    dataOf(await refresh(current));
  });

  test("[plan 13] after the grace window, the rotated token is theft: the session ends, its newest pair too", async () => {
    const { sessions: [a, other] } = await userWithSessions(server, 2);
    const next = dataOf(await refresh(a.refreshToken)).refreshSession;
    await backdate(server.db, a.session.id, { rotatedSecondsAgo: 2.3 });
    expect(codeOf(await refresh(a.refreshToken))).toBe("UNAUTHENTICATED");
    expect(codeOf(await refresh(next.refreshToken))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: next.accessToken }))).toBe("UNAUTHENTICATED");
    // Only that session: the user's other device is untouched.
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: other.accessToken }));
  });

  test("[plan 16] unknown, garbage and oversized refresh tokens are refused without touching any session", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    for (const token of ["", "x", a.refreshToken.slice(0, -1) + (a.refreshToken.endsWith("A") ? "B" : "A"), "' OR 1=1 --", "a".repeat(513)]) {
      const code = codeOf(await refresh(token));
      expect(["UNAUTHENTICATED", "BAD_USER_INPUT"]).toContain(code);
    }
    expect(codeOf(await refresh(a.accessToken))).toBe("UNAUTHENTICATED");
    // A megabyte never reaches the token look-up: the body limit refuses it.
    const huge = await refresh("a".repeat(1_000_000));
    expect(huge.status).toBe(413);
    // No family was touched: random tokens cannot log anyone out.
    dataOf(await refresh(a.refreshToken));
  });
});

describe("refresh without a grace window", () => {
  const server = useTestServer({ REFRESH_REUSE_GRACE_SECONDS: "0" });
  const other = useTestServer({ REFRESH_REUSE_GRACE_SECONDS: "0" });

  test("[plan 14] concurrent refreshes with one token over two instances: one wins, the replays end the session", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => request((i % 2 ? other : server).graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken })),
    );
    const won = results.filter((r) => r.data?.refreshSession);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === "UNAUTHENTICATED")).toHaveLength(9);
    // No two live tokens survive: the one successor is dead with its session.
    const [{ live }] = await server.db.query("SELECT count(*)::int AS live FROM refresh_tokens WHERE session_id = $1 AND rotated_at IS NULL", [a.session.id]);
    expect(live).toBeLessThanOrEqual(1);
    const winner = dataOf(won[0]).refreshSession;
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: winner.accessToken }))).toBe("UNAUTHENTICATED");
  });

  test("[plan 13] a stale token two rotations back ends the session (stale lineage)", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const first = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken })).refreshSession;
    const second = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: first.refreshToken })).refreshSession;
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: second.refreshToken }))).toBe("UNAUTHENTICATED");
  });
});

// docs/api.md, "Errors" and Change 12: the device that holds an ended session's refresh token
// learns why and when its own session ended; anyone else learns nothing.
describe("refreshSession of an ended session tells that device why", () => {
  const server = useTestServer({ REFRESH_REUSE_GRACE_SECONDS: "0" });
  const refresh = (refreshToken: string) => request(server.graphqlUrl, RefreshSessionDocument, { refreshToken });

  async function endedFor(refreshToken: string): Promise<{ code?: string; reason?: unknown; endedAt?: unknown; message?: string }> {
    const [error] = (await refresh(refreshToken)).errors ?? [];
    return { code: error?.extensions?.code, reason: error?.extensions?.reason, endedAt: error?.extensions?.endedAt, message: error?.message };
  }

  async function endedAtOf(sessionId: string): Promise<string> {
    const [row] = await server.db.query("SELECT ended_at FROM sessions WHERE id = $1", [sessionId]);
    return new Date(row.ended_at).toISOString();
  }

  test("each way of ending is told with its reason and the time it ended", async () => {
    const { sessions: [a, b, c, d] } = await userWithSessions(server, 4);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken }));
    dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: c.accessToken }));
    dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "a brand new passphrase" }, { token: a.accessToken }));
    expect(await endedFor(b.refreshToken)).toEqual({ code: "UNAUTHENTICATED", reason: "TERMINATED", endedAt: await endedAtOf(b.session.id), message: expect.any(String) });
    expect(await endedFor(c.refreshToken)).toMatchObject({ code: "UNAUTHENTICATED", reason: "LOGOUT", endedAt: await endedAtOf(c.session.id) });
    expect(await endedFor(d.refreshToken)).toMatchObject({ code: "UNAUTHENTICATED", reason: "PASSWORD_CHANGED", endedAt: await endedAtOf(d.session.id) });
  });

  test("a session past its expiry, not yet swept, is EXPIRED at its expiry", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    await backdate(server.db, a.session.id, { expiresInSeconds: -30 });
    const [row] = await server.db.query("SELECT expires_at FROM sessions WHERE id = $1", [a.session.id]);
    expect(await endedFor(a.refreshToken)).toMatchObject({ code: "UNAUTHENTICATED", reason: "EXPIRED", endedAt: new Date(row.expires_at).toISOString() });
  });

  test("a replayed token ends the session and is told REFRESH_TOKEN_REUSE; so is the successor after it", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const next = dataOf(await refresh(a.refreshToken)).refreshSession;
    const replay = await endedFor(a.refreshToken);
    expect(replay).toMatchObject({ code: "UNAUTHENTICATED", reason: "REFRESH_TOKEN_REUSE", endedAt: await endedAtOf(a.session.id) });
    expect(await endedFor(next.refreshToken)).toMatchObject({ reason: "REFRESH_TOKEN_REUSE", endedAt: replay.endedAt });
  });

  test("an unknown or malformed token gets neither reason nor time", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: a.accessToken }));
    const altered = a.refreshToken.slice(0, -1) + (a.refreshToken.endsWith("A") ? "B" : "A");
    for (const token of [altered, "x", a.accessToken]) {
      const told = await endedFor(token);
      expect(told.code).toBe("UNAUTHENTICATED");
      expect(told.reason).toBeUndefined();
      expect(told.endedAt).toBeUndefined();
    }
  });
});
