import { LoginDocument, RefreshSessionDocument, TerminateSessionDocument } from "./generated/graphql";
import { userWithSessions } from "./helpers/accounts";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { startTestServer, tempDataDir, type TestServer } from "./helpers/test-server";

// Operators need to see who lost a session and why, and who is guessing passwords.
describe("the audit trail", () => {
  const lines: string[] = [];
  let server: TestServer;

  beforeAll(async () => {
    const logger = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(`ERROR ${line}`) };
    server = await startTestServer({ LOGIN_MAX_FAILURES_PER_EMAIL: "2", REFRESH_REUSE_GRACE_SECONDS: "0" }, tempDataDir(), logger);
  });
  afterAll(() => server.stop());

  test("every ending is logged with its session, user and reason", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken }));
    dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken }));
    await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: a.refreshToken });
    expect(lines).toContain(`session ${b.session.id} of user ${b.user.id} ended: TERMINATED`);
    expect(lines).toContain(`session ${a.session.id} of user ${a.user.id} ended: REFRESH_TOKEN_REUSE`);
  });

  test("failed password checks and rate-limit refusals are logged, passwords never", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const email = a.user.email;
    for (let i = 0; i < 3; i++) await request(server.graphqlUrl, LoginDocument, { email, password: `wrong guess ${i}` });
    expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: "wrong guess 3" }))).toBe("RATE_LIMITED");
    expect(lines.filter((l) => l === `failed password check for ${email} from 127.0.0.1`)).toHaveLength(2);
    expect(lines.some((l) => l.startsWith(`refused a password check for ${email} from 127.0.0.1: rate limited`))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/wrong guess|correct horse/);
    expect(lines.filter((l) => l.startsWith("ERROR"))).toEqual([]);
  });
});
