import { WebSocket } from "ws";
import { createSessionClient, memoryStorage, SessionServiceError, type SessionClient, type SignedOut } from "@session-service/client";
import { PASSWORD, uniqueEmail, USER_AGENTS } from "../helpers/accounts";
import { useTestServer, type TestServer } from "../helpers/test-server";
import { until } from "../helpers/time";

// The client package in Node against the real service, as an app uses it.
const IOS_APP = "Acme/3.2.1 CFNetwork/1490.0.4 Darwin/23.2.0";

function app(server: TestServer, userAgent: string, device = {}): SessionClient & { endings: SignedOut[] } {
  const client = createSessionClient({ url: server.graphqlUrl, storage: memoryStorage(), WebSocket, headers: { "user-agent": userAgent }, device });
  const endings: SignedOut[] = [];
  client.onSignedOut((ending) => endings.push(ending));
  return Object.assign(client, { endings });
}

describe("@session-service/client against the service", () => {
  const server = useTestServer({ ACCESS_TOKEN_TTL_SECONDS: "3", CLOCK_TOLERANCE_SECONDS: "0" });
  const opened: SessionClient[] = [];
  const open = (client: ReturnType<typeof app>) => (opened.push(client), client);
  afterEach(() => {
    for (const client of opened.splice(0)) client.dispose();
  });

  test("apps appear in the list as themselves; one is terminated from another device and hears why at once", async () => {
    const email = uniqueEmail();
    const phone = open(app(server, IOS_APP, { name: "Alice's iPhone" }));
    await phone.signUp(email, PASSWORD);
    const android = open(app(server, "okhttp/4.12.0", { appName: "Acme", appVersion: "3.2.1" }));
    await android.login(email, PASSWORD);
    expect(android.signedIn).toBe(true);

    const listed = await phone.sessions();
    expect(listed.find((s) => s.isCurrent)).toMatchObject({ name: "Alice's iPhone", client: "APP", deviceType: "iOS", browser: "Acme" });
    const androidRow = listed.find((s) => !s.isCurrent)!;
    expect(androidRow).toMatchObject({ client: "APP", deviceType: "Android", browser: "Acme", browserVersion: "3.2.1" });

    await until(() => android.live.connected);
    expect(await phone.terminate(androidRow.id)).toBe(true);
    await until(() => android.endings.length === 1, 3000);
    expect(android.endings[0]).toMatchObject({ reason: "TERMINATED", endedAt: expect.any(String) });
    expect(android.signedIn).toBe(false);
    await expect(android.me()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  test("the live list: fetched, then fetched again as sessions start and end", async () => {
    const email = uniqueEmail();
    const watcher = open(app(server, USER_AGENTS.macChrome));
    await watcher.signUp(email, PASSWORD);
    const seen: number[] = [];
    const stop = watcher.watchSessions((sessions) => seen.push(sessions.length));
    await until(() => seen.at(-1) === 1);
    const other = open(app(server, USER_AGENTS.windowsEdge));
    await other.login(email, PASSWORD);
    await until(() => seen.at(-1) === 2);
    await other.logout();
    expect(other.endings).toEqual([{ reason: "LOGOUT", endedAt: expect.any(String) }]);
    await until(() => seen.at(-1) === 1);
    stop();
  });

  test("a paused app whose session is ended meanwhile is told why at resume()", async () => {
    const email = uniqueEmail();
    const paused = open(app(server, IOS_APP));
    await paused.signUp(email, PASSWORD);
    await until(() => paused.live.connected);
    paused.pause();
    await until(() => !paused.live.connected);
    const other = open(app(server, USER_AGENTS.macChrome));
    await other.login(email, PASSWORD);
    expect(await other.terminateOthers()).toBe(1);
    expect(paused.endings).toEqual([]);
    await paused.resume();
    expect(paused.endings).toEqual([{ reason: "TERMINATED_OTHERS", endedAt: expect.any(String) }]);
    expect(paused.signedIn).toBe(false);
    // Its socket stays closed: nothing reconnects a signed-out client.
    expect(paused.live.connected).toBe(false);
  });

  test("an app whose access token expired while connected still hears its ending; its operations refresh on their own", async () => {
    const email = uniqueEmail();
    const phone = open(app(server, IOS_APP));
    const { session } = await phone.signUp(email, PASSWORD);
    await until(() => phone.live.connected);
    // Past the 3-second access token: the client refreshed ahead, and the socket outlives its token anyway.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await phone.me()).email).toBe(email);
    const other = open(app(server, USER_AGENTS.macChrome));
    await other.login(email, PASSWORD);
    expect(await other.terminate(session.id)).toBe(true);
    await until(() => phone.endings.length === 1, 3000);
    expect(phone.endings[0].reason).toBe("TERMINATED");
  });

  test("a wrong password is a SessionServiceError with the contract's code; a restore with nothing kept is signed out", async () => {
    const email = uniqueEmail();
    const first = open(app(server, IOS_APP));
    await first.signUp(email, PASSWORD);
    const stranger = open(app(server, IOS_APP));
    const refused = await stranger.login(email, "not the password").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SessionServiceError);
    expect(refused).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await stranger.restore()).toBe(false);
    expect(stranger.status).toBe("signed-out");
    expect(stranger.signedOut).toBeNull();
  });

  test("a restart of the app: a kept refresh token brings the session back", async () => {
    const storage = memoryStorage();
    const first = createSessionClient({ url: server.graphqlUrl, storage, WebSocket });
    opened.push(first);
    const { session } = await first.signUp(uniqueEmail(), PASSWORD);
    first.dispose();
    const again = createSessionClient({ url: server.graphqlUrl, storage, WebSocket });
    opened.push(again);
    expect(await again.restore()).toBe(true);
    expect((await again.sessions()).find((s) => s.isCurrent)?.id).toBe(session.id);
  });
});
