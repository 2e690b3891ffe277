import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "./private-postgres";
import { PrivateRedis } from "./private-redis";
import { useTestServer } from "./test-server";

/** Two instances on a PostgreSQL and a Redis of the describe block's own, which the test may stop, pause or kill. */
export function twoInstancesOnOwnRedis(sweepIntervalMs: number, extraEnv: Record<string, string> = {}) {
  const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis } = {};
  beforeAll(async () => {
    [deps.postgres, deps.redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  }, CLUSTER_START_TIMEOUT_MS);
  // Read when each server starts, after the databases above are up.
  const env = {
    ...extraEnv,
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
    deps.redis?.resume();
    await deps.redis?.kill();
    await deps.postgres?.destroy();
  });
  return { a, b, redis: () => deps.redis!, postgres: () => deps.postgres! };
}
