import { performance } from "node:perf_hooks";
import { MeDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { SlowLink } from "../helpers/slow-link";
import { useTestServer } from "../helpers/test-server";
import { until } from "../helpers/time";
import { healthOf } from "../helpers/checks";

jest.setTimeout(60_000);

// The instance that ends a session answers only once the others will refuse it. Here its own
// link to Redis is slow (a second each way) while the other's is fine: Redis cannot confirm the
// message within the command deadline, so it was never known to be delivered, and the other
// instance, whose Redis answers, trusts its memory. The answer then waits for the other's next
// read of the revocation log instead.
describe("[plan 10] an ending whose instance cannot get it through Redis in time", () => {
  const SWEEP_MS = 500;
  const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis; link?: SlowLink } = {};
  beforeAll(async () => {
    [deps.postgres, deps.redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
    deps.link = await SlowLink.to(deps.redis.url);
  }, CLUSTER_START_TIMEOUT_MS);
  const env = (redisUrl: () => string) => ({
    SESSION_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    get DATABASE_URL() {
      return deps.postgres!.url;
    },
    get REDIS_URL() {
      return redisUrl();
    },
  });
  const a = useTestServer(env(() => deps.link!.urlFor(deps.redis!.url)));
  const b = useTestServer(env(() => deps.redis!.url));
  afterAll(async () => {
    await deps.link?.close();
    await deps.redis?.kill();
    await deps.postgres?.destroy();
  });

  test("is refused by the other instance at the client's next request, and still answered within the deadlines", async () => {
    const { sessions: [s1, s2, s3] } = await userWithSessions(a, 3);
    for (const server of [a, b]) await until(async () => (await healthOf(server)).authCheck === "memory", 10_000);
    // B has seen these sessions, so it answers for them from memory.
    for (const s of [s1, s3]) expect(dataOf(await request(b.graphqlUrl, MeDocument, {}, { token: s.accessToken })).me.id).toBe(s1.user.id);

    deps.link!.delay(1000);
    // A counts Redis as not answering; B, whose link is fine, still trusts its memory.
    await until(async () => (await healthOf(a)).bus === "down", 10_000);
    expect(await healthOf(b)).toMatchObject({ bus: "connected", authCheck: "memory" });
    const started = performance.now();
    dataOf(await request(a.graphqlUrl, TerminateSessionDocument, { sessionId: s1.session.id }, { token: s2.accessToken }));
    const answeredMs = performance.now() - started;
    // Redis brings B the message a second after the publish; B refuses sooner, from the log.
    expect(codeOf(await request(b.graphqlUrl, MeDocument, {}, { token: s1.accessToken }))).toBe("UNAUTHENTICATED");
    expect(answeredMs).toBeLessThan(1500);

    // A's link is fast again while A still counts Redis as not answering (until its next ping):
    // its ending is published, and its answer waits for Redis to take it.
    deps.link!.delay(0);
    dataOf(await request(a.graphqlUrl, TerminateSessionDocument, { sessionId: s3.session.id }, { token: s2.accessToken }));
    expect(codeOf(await request(b.graphqlUrl, MeDocument, {}, { token: s3.accessToken }))).toBe("UNAUTHENTICATED");
    await until(async () => (await healthOf(a)).authCheck === "memory", 10_000);
  });
});
