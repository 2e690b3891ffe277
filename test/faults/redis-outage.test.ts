import { CloseCode } from "graphql-ws";
import { WebSocket } from "ws";
import { provisionUser } from "../../src/accounts/account-provisioning";
import { MeDocument, TerminateSessionDocument, UserActivityDocument } from "../generated/graphql";
import { login, PASSWORD, uniqueEmail, USER_AGENTS, userWithSessions } from "../helpers/accounts";
import { changeOn, watchChanges } from "../helpers/session-changes";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { CREATE_USER_ENTRY, runProcess } from "../helpers/service-process";
import { tempDataDir, useTestServer, type TestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";
import { revocationOf, watchRevocation } from "../helpers/ws-client";

/** Two instances on a PostgreSQL and a Redis of the describe block's own. */
function twoInstancesOnOwnRedis(sweepIntervalMs: number) {
  const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis } = {};
  beforeAll(async () => {
    [deps.postgres, deps.redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  });
  // Read when each server starts, after the databases above are up.
  const env = {
    SESSION_SWEEP_INTERVAL_MS: String(sweepIntervalMs),
    get DATABASE_URL() {
      return deps.postgres!.url;
    },
    get REDIS_URL() {
      return deps.redis!.url;
    },
  };
  const a = useTestServer(env);
  const b = useTestServer(env);
  // Declared after the servers, so it runs once they have stopped.
  afterAll(async () => {
    await deps.redis?.kill();
    await deps.postgres?.destroy();
  });
  return { a, b, redis: () => deps.redis!, postgres: () => deps.postgres! };
}

describe("[plan 48] Redis down: endings still reach every instance", () => {
  const { a, b, redis } = twoInstancesOnOwnRedis(500);

  test("[plan 48] an ending still succeeds, is refused at once everywhere (tokens checked in the database), and reaches the socket through the revocation log", async () => {
    const { sessions: [s1, s2, s3] } = await userWithSessions(a, 3);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    for (const server of [a, b]) expect(await health(server)).toMatchObject({ bus: "connected", authCheck: "memory" });
    await redis().kill();
    // Tokens are now checked in the database, and both instances say so.
    for (const server of [a, b]) {
      await until(async () => (await health(server)).bus === "down");
      expect(await health(server)).toMatchObject({ status: "ok", bus: "down", authCheck: "database" });
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
    for (const server of [a, b]) await until(async () => (await health(server)).authCheck === "memory");
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
    await provisionUser(a.db, email, { password: PASSWORD, role: "ADMIN" });
    const admin = await login(b, email);
    const { sessions: [victim] } = await userWithSessions(a, 1);
    const asAdmin = () => request(b.graphqlUrl, UserActivityDocument, { userId: victim.user.id }, { token: admin.accessToken });
    dataOf(await asAdmin());
    await provisionUser(a.db, email, { role: "USER" });
    await until(async () => codeOf(await asAdmin()) === "FORBIDDEN", 3000);
  });
});

async function health(server: TestServer): Promise<{ status: string; bus: string; authCheck: string }> {
  return (await fetch(`${server.url}/healthz`)).json();
}

describe("[plan 48] Redis back: what was missed meanwhile is reconciled", () => {
  // No sweep to speak of: only the reconnect can find the ending.
  const { a, b, redis, postgres } = twoInstancesOnOwnRedis(600_000);

  test("[plan 48] an ending published while the instance's subscriber was cut off reaches its socket once Redis returns", async () => {
    const { sessions: [s1, s2] } = await userWithSessions(a, 2);
    const socket = await watchRevocation(a, s1.accessToken, s1.session.id);
    await redis().kill();
    dataOf(await request(b.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s2.accessToken }));
    // The message is lost for good (Redis pub/sub keeps nothing): the socket has heard nothing yet.
    await sleep(300);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.messagesOfType("next")).toEqual([]);

    await redis().startServer();
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: s1.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
  });

  test("user:create with REDIS_URL tells running instances at once: a demotion takes admin away, a replaced password's endings are pushed", async () => {
    const email = uniqueEmail("cli");
    await provisionUser(a.db, email, { password: PASSWORD, role: "ADMIN" });
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
    await sleep(300);
    expect(feed.messagesOfType("next")).toEqual([]);

    await redis().startServer();
    expect(await changeOn(feed, 0)).toMatchObject({ change: "STARTED", session: { id: s2.session.id } });
    expect(await changeOn(feed, 1)).toMatchObject({ change: "ENDED", reason: "LOGOUT", session: { id: s2.session.id } });
    // Told once: later catch-ups do not repeat it.
    await redis().kill();
    await redis().startServer();
    await redis().untilReconnected(2);
    await sleep(300);
    expect(feed.messagesOfType("next", "changes")).toHaveLength(2);
    feed.close();
  });
});
