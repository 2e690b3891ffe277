import {
  AdminLogoutUserDocument,
  ChangePasswordDocument,
  LoginDocument,
  MyActivityDocument,
  RefreshSessionDocument,
  TerminateSessionDocument,
  UserActivityDocument,
} from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail, USER_AGENTS } from "./helpers/accounts";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { backdate } from "./helpers/database";
import { useTestServer } from "./helpers/test-server";

// The seed's "review recent account activity": what happened to an account, newest first.
describe("the activity trail (myActivity, userActivity)", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, LOGIN_MAX_FAILURES_PER_EMAIL: "2", TRUST_PROXY: "1" });
  const myActivity = async (token: string, variables: { first?: number; after?: string; kinds?: string[] } = {}) =>
    dataOf(await request(server.graphqlUrl, MyActivityDocument, variables as never, { token })).myActivity;

  test("every act on the account is recorded, newest first, with its session, device, address and place", async () => {
    const email = uniqueEmail();
    const first = await signUp(server, email);
    const second = await login(server, email, USER_AGENTS.windowsEdge);
    // A failed login from elsewhere (Google's public DNS address, located by the bundled data).
    expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: "wrong password" }, { headers: { "x-forwarded-for": "8.8.8.8" } }))).toBe("UNAUTHENTICATED");
    dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: second.refreshToken }));
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: second.session.id }, { token: first.accessToken }));
    const wrong = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: "not it at all", newPassword: "a new password" }, { token: first.accessToken });
    expect(codeOf(wrong)).toBe("BAD_USER_INPUT");
    dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "a new password" }, { token: first.accessToken }));

    const { nodes } = await myActivity(first.accessToken);
    // Refreshes are not entries: they would drown the list.
    expect(nodes.map((n) => n.kind)).toEqual(["PASSWORD_CHANGED", "PASSWORD_CHANGE_FAILED", "SESSION_ENDED", "LOGIN_FAILED", "LOGGED_IN", "SIGNED_UP"]);
    const [changed, , ended, failed, loggedIn, signedUp] = nodes;
    expect(signedUp).toMatchObject({ sessionId: first.session.id, deviceType: "Macintosh", browser: "Chrome", ipAddress: "127.0.0.1", byAdministrator: false, actor: null });
    expect(loggedIn).toMatchObject({ sessionId: second.session.id, deviceType: "Windows", browser: "Edge" });
    expect(failed).toMatchObject({ sessionId: null, ipAddress: "8.8.8.8", location: { country: "US" } });
    expect(ended).toMatchObject({ sessionId: second.session.id, reason: "TERMINATED", byAdministrator: false, deviceType: "Windows" });
    expect(changed).toMatchObject({ sessionId: first.session.id });
    for (let i = 1; i < nodes.length; i++) expect(Date.parse(nodes[i - 1].at)).toBeGreaterThanOrEqual(Date.parse(nodes[i].at));
  });

  test("failed checks, rate-limit refusals and refresh-token reuse are recorded", async () => {
    const email = uniqueEmail();
    const owner = await signUp(server, email);
    for (let i = 0; i < 2; i++) await request(server.graphqlUrl, LoginDocument, { email, password: `guess ${i}` });
    expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }))).toBe("RATE_LIMITED");
    const admin = await login(server, adminEmail);
    // A stolen refresh token replayed after its rotation (no grace: the tab is 11 s late).
    const device = await signUp(server, uniqueEmail());
    const rotated = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: device.refreshToken })).refreshSession;
    await backdate(server.db, device.session.id, { rotatedSecondsAgo: 11 });
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: device.refreshToken }))).toBe("UNAUTHENTICATED");
    // The reuse ended the session: the thief's fresh pair is dead too.
    expect(codeOf(await request(server.graphqlUrl, MyActivityDocument, {}, { token: rotated.accessToken }))).toBe("UNAUTHENTICATED");
    const deviceTrail = dataOf(await request(server.graphqlUrl, UserActivityDocument, { userId: device.user.id }, { token: admin.accessToken })).userActivity.nodes;
    // Both written by the same transaction, at the same time: in either order.
    expect(deviceTrail.slice(0, 2).map((n) => [n.kind, n.reason])).toEqual(
      expect.arrayContaining([["SESSION_ENDED", "REFRESH_TOKEN_REUSE"], ["REFRESH_TOKEN_REUSED", null]]),
    );

    const ownerTrail = dataOf(await request(server.graphqlUrl, UserActivityDocument, { userId: owner.user.id }, { token: admin.accessToken })).userActivity.nodes;
    expect(ownerTrail.filter((n) => n.kind === "LOGIN_FAILED")).toHaveLength(2);
    expect(ownerTrail.filter((n) => n.kind === "LOGIN_RATE_LIMITED")).toHaveLength(1);
  });

  test("an administrator's act: the user sees that an administrator did it, administrators see who", async () => {
    const email = uniqueEmail();
    const kept = await signUp(server, email);
    const other = await login(server, email);
    const admin = await login(server, adminEmail);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: other.session.id }, { token: admin.accessToken }));
    const [mine] = (await myActivity(kept.accessToken, { kinds: ["SESSION_ENDED"] })).nodes;
    expect(mine).toMatchObject({ sessionId: other.session.id, reason: "ADMIN_LOGOUT", byAdministrator: true, actor: null });
    const asAdmin = dataOf(await request(server.graphqlUrl, UserActivityDocument, { userId: kept.user.id, kinds: ["SESSION_ENDED"] }, { token: admin.accessToken })).userActivity.nodes;
    expect(asAdmin[0]).toMatchObject({ id: mine.id, byAdministrator: true, actor: { id: admin.user.id, email: adminEmail } });
    dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: kept.user.id }, { token: admin.accessToken }));
    const afterLogout = dataOf(await request(server.graphqlUrl, UserActivityDocument, { userId: kept.user.id, first: 1 }, { token: admin.accessToken })).userActivity.nodes;
    expect(afterLogout[0]).toMatchObject({ kind: "SESSION_ENDED", sessionId: kept.session.id, reason: "ADMIN_LOGOUT", actor: { id: admin.user.id } });
  });

  test("pages are stable while entries are added: no entry twice, none skipped", async () => {
    const email = uniqueEmail();
    const owner = await signUp(server, email);
    for (let i = 0; i < 4; i++) await login(server, email);
    const firstPage = await myActivity(owner.accessToken, { first: 2 });
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    // New activity arrives between two pages: it belongs before the first, not in the next one.
    await login(server, email);
    const rest = await myActivity(owner.accessToken, { first: 200, after: firstPage.pageInfo.endCursor! });
    const seen = [...firstPage.nodes, ...rest.nodes].map((n) => n.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(5);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.nodes[rest.nodes.length - 1].id ? expect.any(String) : null });
    const fresh = await myActivity(owner.accessToken, { first: 200 });
    expect(fresh.nodes).toHaveLength(6);
    expect(fresh.nodes.slice(1).map((n) => n.id)).toEqual(seen);
    // Filtered by kind.
    expect((await myActivity(owner.accessToken, { kinds: ["SIGNED_UP"] })).nodes.map((n) => n.kind)).toEqual(["SIGNED_UP"]);
  });

  test("bad paging input is BAD_USER_INPUT; a USER asking for someone's activity is FORBIDDEN", async () => {
    const user = await signUp(server);
    for (const variables of [{ first: 0 }, { first: 201 }, { after: "not-a-cursor" }, { after: Buffer.from('["x","y"]').toString("base64url") }]) {
      expect(codeOf(await request(server.graphqlUrl, MyActivityDocument, variables, { token: user.accessToken }))).toBe("BAD_USER_INPUT");
    }
    expect(codeOf(await request(server.graphqlUrl, UserActivityDocument, { userId: user.user.id }, { token: user.accessToken }))).toBe("FORBIDDEN");
    expect(codeOf(await request(server.graphqlUrl, MyActivityDocument, {}))).toBe("UNAUTHENTICATED");
  });

  test("a page is one index scan, however long the history", async () => {
    const user = await signUp(server);
    // A long history (10,000 entries; the benchmark uses more), so the planner has a real choice.
    await server.db.query(
      `INSERT INTO activity (user_id, kind, at) SELECT $1, 'LOGGED_IN', now() - make_interval(secs => n) FROM generate_series(1, 10000) AS n`,
      [user.user.id],
    );
    await server.db.query(`ANALYZE activity`);
    const plan: { "QUERY PLAN": string }[] = await server.db.query(
      `EXPLAIN SELECT * FROM activity WHERE user_id = $1 AND (at, id) < (now(), '00000000-0000-0000-0000-000000000000'::uuid) ORDER BY at DESC, id DESC LIMIT 51`,
      [user.user.id],
    );
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index Scan using activity_by_user/);
    expect(text).not.toMatch(/Sort|Seq Scan/);
    const page = await myActivity(user.accessToken, { first: 50 });
    expect(page.nodes).toHaveLength(50);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });
});
