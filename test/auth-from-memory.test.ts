import { CloseCode } from "graphql-ws";
import { provisionUser } from "../src/accounts/account-provisioning";
import { UnitOfWork } from "../src/sessions/unit-of-work";
import { MeDocument, TerminateSessionDocument, UserActivityDocument } from "../web/src/gql/graphql";
import { PASSWORD, login, uniqueEmail, userWithSessions } from "./helpers/accounts";
import { codeOf, dataOf, request, requestRaw } from "./helpers/graphql-client";
import { PrivateRedis } from "./helpers/private-redis";
import { countQueries } from "./helpers/query-count";
import { useTestServer } from "./helpers/test-server";
import { until } from "./helpers/time";
import { revocationOf, watchRevocation } from "./helpers/ws-client";
import { healthOf } from "./helpers/checks";

// With a bus that reaches every instance (Redis here, so it runs on both databases), the
// token check is answered from memory; what the bus does not bring arrives through the log.
describe("the auth check from memory", () => {
  let redis: PrivateRedis | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis?.kill());
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({
    get REDIS_URL() {
      return redis!.url;
    },
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: PASSWORD,
    // The log is read every 200 ms: what reaches the database behind the service's back shows up that fast.
    SESSION_SWEEP_INTERVAL_MS: "200",
  } as Record<string, string>);

  test("/healthz and the metrics say tokens are checked in memory", async () => {
    expect(await healthOf(server)).toMatchObject({ status: "ok", bus: "connected", authCheck: "memory" });
    expect(await server.services.metrics.registry.getSingleMetricAsString("session_service_auth_check_from_memory")).toMatch(/ 1$/m);
  });

  test("an ending here is refused on the very next request and pushed at once", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, { token: b.accessToken }));
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
    expect((await revocationOf(socket)).event.reason).toBe("TERMINATED");
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: b.accessToken }));
  });

  test("a session ended behind the service's back (psql) is learned from the revocation log: refused and pushed", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }));
    await server.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'ADMIN_LOGOUT' WHERE id = $1`, [a.session.id]);
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "ADMIN_LOGOUT" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
  });

  test("a demotion by user:create --role USER takes admin away within the catch-up interval, and me shows it", async () => {
    const email = uniqueEmail("demoted");
    await provisionUser(new UnitOfWork(server.db), email, { password: PASSWORD, role: "ADMIN" });
    const admin = await login(server, email);
    const { sessions: [victim] } = await userWithSessions(server, 1);
    const asAdmin = () => request(server.graphqlUrl, UserActivityDocument, { userId: victim.user.id }, { token: admin.accessToken });
    dataOf(await asAdmin());
    await provisionUser(new UnitOfWork(server.db), email, { role: "USER" });
    await until(async () => codeOf(await asAdmin()) === "FORBIDDEN", 2000);
    expect(dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: admin.accessToken })).me.role).toBe("USER");
  });
});

describe("steady state", () => {
  let redis: PrivateRedis | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis?.kill());
  const server = useTestServer({
    get REDIS_URL() {
      return redis!.url;
    },
    // No sweep and no read of the log during the test: any query counted is a request's.
    SESSION_SWEEP_INTERVAL_MS: "600000",
  } as Record<string, string>);

  test("an authenticated me { id email role } and { __typename } make no database query in steady state", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    // The first request reads the user and marks the session active; the mark is written within a
    // second, apart from the request: it is not counted below once the row shows it.
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }));
    const marked = async () => (await server.db.query("SELECT last_active_at > created_at AS marked FROM sessions WHERE id = $1", [a.session.id]))[0].marked === true;
    await until(marked, 3000);
    // Nothing runs on a timer here but the clock sync (once a minute): a window it falls in is tried again.
    let requests = 0;
    let quiet = false;
    for (let attempt = 0; attempt < 3 && !quiet; attempt++) {
      const queries = countQueries(server.db);
      try {
        for (let i = 0; i < 25; i++) {
          expect(dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken })).me).toMatchObject({ id: a.user.id, role: "USER" });
          expect((await requestRaw(server.graphqlUrl, { query: "{ __typename }" }, { token: a.accessToken })).status).toBe(200);
          requests += 2;
        }
      } finally {
        queries.stop();
      }
      // A window with no query at all: 50 authenticated requests, none of them asked the database.
      quiet = queries.count === 0;
    }
    expect(requests).toBeGreaterThanOrEqual(50);
    expect(quiet).toBe(true);
  });
});

describe("access-token lifetime", () => {
  const server = useTestServer({ REFRESH_TOKEN_TTL_SECONDS: "3" });

  // Memory learns of an expiry only when the sweep ends the session: a token must not outlast it.
  test("no access token outlives its session's expiry, even when sessions are shorter than tokens", async () => {
    const { sessions: [a] } = await userWithSessions(server, 1);
    expect(Date.parse(a.accessTokenExpiresAt)).toBeLessThanOrEqual(Date.parse(a.refreshTokenExpiresAt));
    expect(Date.parse(a.accessTokenExpiresAt)).toBeLessThanOrEqual(Date.now() + 4000);
  });
});
