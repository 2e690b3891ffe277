import { LoginDocument, RefreshSessionDocument, TerminateOtherSessionsDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { captureLog } from "../helpers/log-capture";

// Operators need to see who lost a session and why, and who is guessing passwords.
describe("the audit trail", () => {
  const { logger, lines, entries } = captureLog();
  const server = useTestServer({ LOGIN_MAX_FAILURES_PER_EMAIL: "2", REFRESH_REUSE_GRACE_SECONDS: "0" }, { logger });

  test("every ending is logged with its session, user and reason", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken }));
    dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }));
    await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken });
    expect(entries).toContainEqual(expect.objectContaining({ msg: "session ended", sessionId: b.session.id, userId: b.user.id, reason: "TERMINATED" }));
    expect(entries).toContainEqual(expect.objectContaining({ msg: "session ended", sessionId: a.session.id, userId: a.user.id, reason: "REFRESH_TOKEN_REUSE" }));
  });

  test("an ending of many sessions at once is one line naming them all, with who did it and why", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(server, 3);
    expect(dataOf(await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: a.accessToken })).terminateOtherSessions).toBe(2);
    const line = entries.find((e) => e.msg === "sessions ended" && e.userId === a.user.id);
    expect(line).toMatchObject({ reason: "TERMINATED_OTHERS", actorId: a.user.id, count: 2 });
    expect([...(line!.sessionIds as string[])].sort()).toEqual([b.session.id, c.session.id].sort());
  });

  test("failed password checks and rate-limit refusals are logged, passwords never", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const email = a.user.email;
    for (let i = 0; i < 3; i++) await request(server.graphqlUrl, LoginDocument, { email, password: `wrong guess ${i}` });
    expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: "wrong guess 3" }))).toBe("RATE_LIMITED");
    expect(entries.filter((e) => e.msg === "failed password check" && e.email === email && e.ip === "127.0.0.1")).toHaveLength(2);
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: "password check refused: rate limited", email, ip: "127.0.0.1", retryAfterSeconds: expect.any(Number) }),
    );
    expect(lines.join("")).not.toMatch(/wrong guess|correct horse/);
    expect(entries.filter((e) => e.level === "error" || e.level === "fatal")).toEqual([]);
  });
});
