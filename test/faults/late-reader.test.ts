import { performance } from "node:perf_hooks";
import { MeDocument, MySessionsDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { login, userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { SlowLink } from "../helpers/slow-link";
import { useTestServer } from "../helpers/test-server";
import { until } from "../helpers/time";
import { healthOf } from "../helpers/checks";

jest.setTimeout(60_000);

// B reads the bus late: its link to it is 20 ms slower each way, well inside every deadline,
// as a busy instance or one a little further away would be. The instance that
// ends a session answers only once B has said it read the news, so B refuses the token at the
// client's next request. Answering once the bus had taken the news (Redis's reply to the
// publish, or the ending instance hearing its own NOTIFY back) left B accepting it.
describe.each([
  ["Redis", true],
  ["PostgreSQL's LISTEN/NOTIFY", false],
])("an instance that reads the bus late, on %s", (_bus, withRedis) => {
  const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis; link?: SlowLink } = {};
  beforeAll(async () => {
    deps.postgres = await PrivatePostgres.start();
    if (withRedis) deps.redis = await PrivateRedis.start();
    deps.link = await SlowLink.to(withRedis ? deps.redis!.url : deps.postgres.url);
  }, CLUSTER_START_TIMEOUT_MS);
  // The log is read only every 10 minutes here: whatever B knows within the test came through the bus.
  const env = (late: boolean) => {
    const url = (direct: string) => (late ? deps.link!.urlFor(direct) : direct);
    const env: Record<string, string> = {
      SESSION_SWEEP_INTERVAL_MS: "600000",
      get DATABASE_URL() {
        return withRedis ? deps.postgres!.url : url(deps.postgres!.url);
      },
    };
    // Read when the server starts, after beforeAll (a spread would read it now).
    if (withRedis) Object.defineProperty(env, "REDIS_URL", { enumerable: true, get: () => url(deps.redis!.url) });
    return env;
  };
  const a = useTestServer(env(false));
  const b = useTestServer(env(true));
  afterAll(async () => {
    await deps.link?.close();
    await deps.redis?.kill();
    await deps.postgres?.destroy();
  });

  test("an ending's answer waits until B has read it: B refuses the token at the next request, and a login is in B's list", async () => {
    const { email, sessions: [first, second] } = await userWithSessions(a, 2);
    deps.link!.delay(20);
    for (const server of [a, b]) await until(async () => (await healthOf(server)).authCheck === "memory", 10_000);
    // B has seen these sessions, so it answers for them from memory.
    for (const s of [first, second]) expect(dataOf(await request(b.graphqlUrl, MeDocument, {}, { token: s.accessToken })).me.id).toBe(first.user.id);
    expect(dataOf(await request(b.graphqlUrl, MySessionsDocument, {}, { token: first.accessToken })).mySessions).toHaveLength(2);

    for (let round = 0; round < 3; round++) {
      const third = await login(a, email);
      // Once B has seen a session, it answers for it from memory.
      expect(dataOf(await request(b.graphqlUrl, MeDocument, {}, { token: third.accessToken })).me.id).toBe(first.user.id);
      const started = performance.now();
      dataOf(await request(a.graphqlUrl, TerminateSessionDocument, { sessionId: third.session.id }, { token: first.accessToken }));
      const answeredMs = performance.now() - started;
      expect(codeOf(await request(b.graphqlUrl, MeDocument, {}, { token: third.accessToken }))).toBe("UNAUTHENTICATED");
      // B's answer came back within the wait: no hold until the log is read.
      expect(answeredMs).toBeLessThan(1000);
      const fourth = await login(a, email);
      expect(dataOf(await request(b.graphqlUrl, MySessionsDocument, {}, { token: first.accessToken })).mySessions.map((s) => s.id)).toContain(fourth.session.id);
    }
    expect(await healthOf(b)).toMatchObject({ bus: "connected", authCheck: "memory" });
  });
});
