import { CloseCode } from "graphql-ws";
import { WebSocket } from "ws";
import { provisionUser } from "../../src/accounts/account-provisioning";
import { UnitOfWork } from "../../src/sessions/unit-of-work";
import { MeDocument, TerminateSessionDocument, UserActivityDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, uniqueEmail, USER_AGENTS, userWithSessions } from "../helpers/accounts";
import { changeOn, changesOn, subscribeChanges, watchChanges } from "../helpers/session-changes";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { twoInstancesOnOwnRedis } from "../helpers/own-fleet";
import { CREATE_USER_ENTRY, runProcess } from "../../support/service-process";
import { tempDataDir } from "../helpers/test-server";
import { until } from "../helpers/time";
import { revocationOf, watchRevocation } from "../helpers/ws-client";
import { healthOf } from "../helpers/checks";

// Redis is killed and started again several times a test, and ioredis reconnects on its own
// back-off: on a loaded machine that takes longer than jest's default allows.
jest.setTimeout(90_000);

describe("[plan 48] Redis down: endings still reach every instance", () => {
  const { a, b, redis } = twoInstancesOnOwnRedis(500);

  test("[plan 48] an ending still succeeds, is refused at once everywhere (tokens checked in the database), and reaches the socket through the revocation log", async () => {
    const { sessions: [s1, s2, s3] } = await userWithSessions(a, 3);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    for (const server of [a, b]) expect(await healthOf(server)).toMatchObject({ bus: "connected", authCheck: "memory" });
    await redis().kill();
    // Tokens are now checked in the database, and both instances say so.
    for (const server of [a, b]) {
      await until(async () => (await healthOf(server)).bus === "down");
      expect(await healthOf(server)).toMatchObject({ status: "ok", bus: "down", authCheck: "database" });
      expect(await server.services.metrics.registry.getSingleMetricAsString("session_service_auth_check_from_memory")).toMatch(/ 0$/m);
    }

    const started = Date.now();
    expect(dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s2.accessToken })).terminateSession).toBe(true);
    const [row] = await a.db.query("SELECT end_reason FROM sessions WHERE id = $1", [s1.session.id]);
    expect(row.end_reason).toBe("TERMINATED");
    expect(codeOf(await request(a.graphqlUrl, MeDocument, {}, { token: s1.accessToken }))).toBe("UNAUTHENTICATED");
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: s1.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(Date.now() - started).toBeLessThan(5000);

    // Redis returns: pushes flow again.
    await redis().startServer();
    const again = await watchRevocation(a, s3.accessToken, s3.session.id);
    await redis().untilReconnected(2);
    for (const server of [a, b]) await until(async () => (await healthOf(server)).authCheck === "memory");
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s3.session.id }, { token: s2.accessToken }));
    // Refused on A once Redis has delivered the ending (B answered after Redis took it): within
    // milliseconds, far sooner than A's next read of the log could have told it.
    const ended = Date.now();
    await until(async () => codeOf(await request(a.graphqlUrl, MeDocument, {}, { token: s3.accessToken })) === "UNAUTHENTICATED", 250);
    expect(Date.now() - ended).toBeLessThan(250);
    expect((await revocationOf(again)).event.reason).toBe("TERMINATED");
  });

  test("a demotion (user:create --role USER, through A's database) takes admin away on B", async () => {
    const email = uniqueEmail("demoted");
    await provisionUser(new UnitOfWork(a.db), email, { password: PASSWORD, role: "ADMIN" });
    const admin = await login(b, email);
    const { sessions: [victim] } = await userWithSessions(a, 1);
    const asAdmin = () => request(b.graphqlUrl, UserActivityDocument, { userId: victim.user.id }, { token: admin.accessToken });
    dataOf(await asAdmin());
    await provisionUser(new UnitOfWork(a.db), email, { role: "USER" });
    await until(async () => codeOf(await asAdmin()) === "FORBIDDEN", 3000);
  });
});

describe("[plan 48] Redis back: what was missed meanwhile is reconciled", () => {
  // No sweep to speak of: only the reconnect can find the ending.
  const { a, b, redis, postgres } = twoInstancesOnOwnRedis(600_000);

  test("[plan 48] an ending published while the instance's subscriber was cut off reaches its socket once Redis returns", async () => {
    const { email, sessions: [s1, s2] } = await userWithSessions(a, 2);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    // The same connection also lists the user's sessions, so the marker below arrives on it.
    await subscribeChanges(a, socket, s1.user.id);
    await redis().kill();
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s2.accessToken }));
    // The message is lost for good (Redis pub/sub keeps nothing). A marker after it, a login on A
    // itself (told to A's sockets without Redis): up to it the socket has heard nothing else.
    const s3 = await login(a, email);
    expect(await changeOn(socket, 0)).toMatchObject({ change: "STARTED", session: { id: s3.session.id } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.messagesOfType("next").map((m) => m.id)).toEqual(["changes"]);

    await redis().startServer();
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: s1.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
  });

  test("user:create with REDIS_URL tells running instances at once: a demotion takes admin away, a replaced password's endings are pushed", async () => {
    const email = uniqueEmail("cli");
    await provisionUser(new UnitOfWork(a.db), email, { password: PASSWORD, role: "ADMIN" });
    const admin = await login(b, email);
    const other = await login(a, email);
    const socket = await watchRevocation(b, other.accessToken, other.session.id);
    const { sessions: [victim] } = await userWithSessions(a, 1);
    const asAdmin = () => request(b.graphqlUrl, UserActivityDocument, { userId: victim.user.id }, { token: admin.accessToken });
    dataOf(await asAdmin());
    const cliEnv = { DATABASE_URL: postgres().url, REDIS_URL: redis().url, DATA_DIR: tempDataDir() };
    // No catch-up in this block for ten minutes: only the command's message can make this happen.
    const demoted = await runProcess([CREATE_USER_ENTRY, "--email", email, "--role", "USER"], cliEnv);
    expect(demoted.code).toBe(0);
    await until(async () => codeOf(await asAdmin()) === "FORBIDDEN", 3000);

    const replaced = await runProcess([CREATE_USER_ENTRY, "--email", email, "--password-stdin"], cliEnv, "another correct horse battery");
    expect(replaced.stdout).toMatch(/2 session\(s\) ended/);
    expect((await revocationOf(socket)).event).toMatchObject({ sessionId: other.session.id, reason: "PASSWORD_CHANGED" });
    expect(codeOf(await request(b.graphqlUrl, MeDocument, {}, { token: admin.accessToken }))).toBe("UNAUTHENTICATED");
  });

  test("a live list (mySessionsChanged) that missed a login and an ending while Redis was down is caught up once it returns", async () => {
    const { email, sessions: [s1] } = await userWithSessions(a, 1);
    const feed = await watchChanges(a, s1);
    await redis().kill();
    const s2 = await login(b, email, USER_AGENTS.windowsEdge);
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s2.session.id }, { token: s2.accessToken }));
    // A marker after them, a login on A itself (told without Redis): up to it the feed heard nothing else.
    const s3 = await login(a, email);
    expect(await changeOn(feed, 0)).toMatchObject({ change: "STARTED", session: { id: s3.session.id } });
    expect(feed.messagesOfType("next")).toHaveLength(1);

    await redis().startServer();
    expect(await changeOn(feed, 1)).toMatchObject({ change: "STARTED", session: { id: s2.session.id } });
    expect(await changeOn(feed, 2)).toMatchObject({ change: "ENDED", reason: "LOGOUT", session: { id: s2.session.id } });
    // Told once: later catch-ups do not repeat it. Once A has caught up after another cut (its
    // auth check back in memory), a marker login on A is the next thing the feed hears.
    await redis().kill();
    await until(async () => (await healthOf(a)).bus === "down");
    await redis().startServer();
    await redis().untilReconnected(2);
    await until(async () => (await healthOf(a)).authCheck === "memory");
    const s4 = await login(a, email);
    expect(await changeOn(feed, 3)).toMatchObject({ change: "STARTED", session: { id: s4.session.id } });
    const told = changesOn(feed).map((c) => `${c.change} ${c.session.id}`);
    expect(told).toEqual([`STARTED ${s3.session.id}`, `STARTED ${s2.session.id}`, `ENDED ${s2.session.id}`, `STARTED ${s4.session.id}`]);
    feed.close();
  });
});
