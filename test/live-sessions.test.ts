import { LoginDocument, MyActivityDocument, MySessionsDocument, SignUpDocument, TerminateSessionDocument } from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, USER_AGENTS, uniqueEmail, userWithSessions } from "./helpers/accounts";
import { dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";
import { changeOn, MY_SESSIONS_CHANGED, watchChanges } from "./helpers/session-changes";
import { WsTestClient } from "./helpers/ws-client";

describe("signals: why a session looked unfamiliar", () => {
  // Public addresses from the bundled GeoIP data, believed through one trusted proxy.
  const server = useTestServer({ TRUST_PROXY: "1" });
  const from = (ip: string, userAgent = USER_AGENTS.macChrome) => ({ "x-forwarded-for": ip, "user-agent": userAgent });

  test("an account's first session (nothing to compare with), a repeated device, another browser, a new country; recorded on the login's activity entry", async () => {
    const email = uniqueEmail();
    const first = await request(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD }, { headers: from("8.8.8.8") });
    expect(dataOf(first).signUp.session).toMatchObject({ signals: [] });
    const again = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }, { headers: from("8.8.4.4") })).login;
    expect(again.session.signals).toEqual([]);
    const otherBrowser = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }, { headers: from("8.8.8.8", USER_AGENTS.windowsEdge) })).login;
    expect(otherBrowser.session.signals).toEqual(["NEW_DEVICE"]);
    // 81.169.145.1: Germany in the bundled data.
    const abroad = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }, { headers: from("81.169.145.1") })).login;
    expect(abroad.session.location?.country).toBe("DE");
    expect(abroad.session.signals).toEqual(["NEW_COUNTRY"]);
    // Ended sessions count too: the German one ends, a later German login is not new.
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: abroad.session.id }, { token: again.accessToken }));
    const back = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }, { headers: from("81.169.145.1") })).login;
    expect(back.session.signals).toEqual([]);
    // Unknown country (a private address): never NEW_COUNTRY.
    const unknown = dataOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }, { headers: from("10.0.0.1", USER_AGENTS.ubuntuFirefox) })).login;
    expect(unknown.session.signals).toEqual(["NEW_DEVICE"]);

    const listed = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: again.accessToken })).mySessions;
    expect(listed.find((s) => s.id === otherBrowser.session.id)?.signals).toEqual(["NEW_DEVICE"]);
    const trail = dataOf(await request(server.graphqlUrl, MyActivityDocument, { kinds: ["LOGGED_IN", "SIGNED_UP"] }, { token: again.accessToken })).myActivity.nodes;
    expect(trail.map((e) => e.signals)).toEqual([["NEW_DEVICE"], [], ["NEW_COUNTRY"], ["NEW_DEVICE"], [], []]);
  });
});

describe("mySessionsChanged", () => {
  const server = useTestServer();

  test("a new session of the user is STARTED on their other devices, its ending ENDED; another user hears nothing", async () => {
    const { email, sessions: [a] } = await userWithSessions(server, 1);
    const { sessions: [v] } = await userWithSessions(server, 1);
    const mine = await watchChanges(server, a);
    const theirs = await watchChanges(server, v);

    const b = await login(server, email, USER_AGENTS.windowsEdge);
    const started = await changeOn(mine, 0);
    expect(started).toMatchObject({ change: "STARTED", reason: null, session: { id: b.session.id, isCurrent: false, deviceType: "Windows", browser: "Edge", signals: ["NEW_DEVICE"] } });
    expect(Date.parse(started.at)).toBeGreaterThan(Date.now() - 60_000);

    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken }));
    expect(await changeOn(mine, 1)).toMatchObject({ change: "ENDED", reason: "TERMINATED", session: { id: b.session.id, isCurrent: false } });
    // The other user's own next sign-in must be the first thing their socket hears: had it been
    // sent either of the changes above, however late, they would have arrived ahead of it.
    const theirNext = await login(server, v.user.email);
    expect(await changeOn(theirs, 0)).toMatchObject({ change: "STARTED", session: { id: theirNext.session.id } });
    expect(theirs.messagesOfType("next")).toHaveLength(1);
    mine.close();
    theirs.close();
  });

  test("isCurrent is the receiving connection's: a second socket of the new session sees its own start as current", async () => {
    const { email, sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchChanges(server, a);
    const c = await login(server, email);
    const event = await changeOn(socket, 0);
    expect(event.session).toMatchObject({ id: c.session.id, isCurrent: false });
    // Its own ending reaches a socket as sessionRevoked and a close, not as a change.
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: c.accessToken }));
    expect((await socket.closed).code).toBe(4403);
    expect(socket.messagesOfType("next", "changes")).toHaveLength(1);
  });

  test("over HTTP, or without a valid token, it is refused", async () => {
    const signed = await signUp(server);
    const response = await fetch(server.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${signed.accessToken}` },
      body: JSON.stringify({ query: MY_SESSIONS_CHANGED }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const anonymous = new WsTestClient(server.wsUrl);
    await expect(anonymous.init({})).rejects.toMatchObject({ code: 4403 });
  });
});
