import { LoginDocument, MySessionsDocument, RenameSessionDocument, SignUpDocument, TerminateSessionDocument, UserSessionsDocument } from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail, USER_AGENTS } from "./helpers/accounts";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";

// docs/api.md, Change 13: DeviceInput, Session.name, Session.client, renameSession, and the user
// agents native apps really send.
const IOS_APP = "Acme/3.2.1 CFNetwork/1490.0.4 Darwin/23.2.0";
const OKHTTP = "okhttp/4.12.0";

describe("apps shown as themselves, devices the user names", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });

  const sessionsOf = async (token: string) => dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token })).mySessions;
  const rename = (token: string, sessionId: string, name: string) => request(server.graphqlUrl, RenameSessionDocument, { sessionId, name }, { token });

  test("an iOS app that names itself and its device, an okhttp app, a browser and a script, each as what it is", async () => {
    const email = uniqueEmail();
    const phone = dataOf(
      await request(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD, device: { name: " Alice's iPhone ", appName: "Acme", appVersion: "3.2.1" } }, { headers: { "user-agent": IOS_APP } }),
    ).signUp;
    expect(phone.session).toMatchObject({ name: "Alice's iPhone", client: "APP", deviceType: "iOS", os: "iOS 17", browser: "Acme", browserVersion: "3.2.1" });

    const android = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD, device: { appName: "Acme", appVersion: "3.2.1" } }, { headers: { "user-agent": OKHTTP } })).login;
    expect(android.session).toMatchObject({ name: null, client: "APP", deviceType: "Android", browser: "Acme", browserVersion: "3.2.1" });
    // Without DeviceInput the user agent alone still says it is an Android app.
    const bare = await login(server, email, OKHTTP);
    expect(bare.session).toMatchObject({ client: "APP", deviceType: "Android", browser: "Android app" });
    const script = await login(server, email, "curl/8.5.0");
    expect(script.session).toMatchObject({ client: "OTHER", browser: "curl", browserVersion: "8.5.0" });
    const browser = await login(server, email, USER_AGENTS.windowsEdge);
    expect(browser.session).toMatchObject({ client: "BROWSER", browser: "Edge", name: null });

    const listed = await sessionsOf(browser.accessToken);
    expect(listed.find((s) => s.id === phone.session.id)).toMatchObject({ name: "Alice's iPhone", client: "APP", browser: "Acme" });
    expect(listed.find((s) => s.id === script.session.id)?.client).toBe("OTHER");
  });

  test("a bad name or app field refuses the login with BAD_USER_INPUT naming the field, and opens no session", async () => {
    const { user, accessToken } = await signUp(server);
    for (const [device, field] of [
      [{ name: "" }, "device.name"],
      [{ name: "x".repeat(65) }, "device.name"],
      [{ name: "Ali\u200bce" }, "device.name"],
      [{ appName: "Acme\u0000" }, "device.appName"],
      [{ appVersion: "3.2.1" }, "device.appVersion"],
    ] as const) {
      const result = await request(server.graphqlUrl, LoginDocument, { email: user.email, password: PASSWORD, device });
      expect([codeOf(result), result.errors?.[0]?.extensions?.field]).toEqual(["BAD_USER_INPUT", field]);
    }
    expect(await sessionsOf(accessToken)).toHaveLength(1);
  });

  test("renameSession names one of the caller's sessions, trimmed, and the list shows it", async () => {
    const first = await signUp(server);
    const second = await login(server, first.user.email, USER_AGENTS.iphoneSafari);
    const renamed = dataOf(await rename(first.accessToken, second.session.id, "  Kitchen iPad ")).renameSession;
    expect(renamed).toMatchObject({ id: second.session.id, name: "Kitchen iPad", isCurrent: false, browser: "Mobile Safari" });
    expect((await sessionsOf(second.accessToken)).find((s) => s.isCurrent)?.name).toBe("Kitchen iPad");
    // Named again, then its own name for itself.
    expect(dataOf(await rename(second.accessToken, second.session.id, "My phone")).renameSession).toMatchObject({ name: "My phone", isCurrent: true });
  });

  test("another user's session, an unknown one and an ended one are NOT_FOUND alike; a bad name is BAD_USER_INPUT; no token is UNAUTHENTICATED", async () => {
    const mine = await signUp(server);
    const theirs = await signUp(server);
    const ended = await login(server, mine.user.email);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: ended.session.id }, { token: mine.accessToken }));

    expect(codeOf(await rename(mine.accessToken, theirs.session.id, "Mine now"))).toBe("NOT_FOUND");
    expect(codeOf(await rename(mine.accessToken, "00000000-0000-4000-8000-000000000000", "Nothing"))).toBe("NOT_FOUND");
    expect(codeOf(await rename(mine.accessToken, ended.session.id, "Gone"))).toBe("NOT_FOUND");
    expect((await sessionsOf(theirs.accessToken))[0].name).toBeNull();

    for (const name of ["", "   ", "x".repeat(65), "a\nb", "\u202eevil"]) {
      const result = await rename(mine.accessToken, mine.session.id, name);
      expect([codeOf(result), result.errors?.[0]?.extensions?.field]).toEqual(["BAD_USER_INPUT", "name"]);
    }
    expect(codeOf(await rename(mine.accessToken, "not-a-uuid", "x"))).toBe("BAD_USER_INPUT");
    expect(codeOf(await request(server.graphqlUrl, RenameSessionDocument, { sessionId: mine.session.id, name: "x" }))).toBe("UNAUTHENTICATED");
  });

  test("an administrator may name any user's session", async () => {
    const admin = await login(server, adminEmail);
    const user = await signUp(server);
    expect(dataOf(await rename(admin.accessToken, user.session.id, "Reception desk")).renameSession.name).toBe("Reception desk");
    const listed = dataOf(await request(server.graphqlUrl, UserSessionsDocument, { userId: user.user.id }, { token: admin.accessToken })).userSessions;
    expect(listed[0].name).toBe("Reception desk");
  });
});
