import { MeDocument, TerminateOtherSessionsDocument } from "../../web/src/gql/graphql";
import { freePort, startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { login, signUp } from "../helpers/accounts";
import { Balancer, NGINX } from "../helpers/balancer";
import { dataOf, request } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { reconnectingDevice, type ReconnectingDevice } from "../../support/reconnecting-device";
import { tempDataDir, serverAt } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";

// The shipped fleet without Docker: Debian's nginx with deploy/nginx.conf (upstreams and port
// rewritten only) in front of two instances on one PostgreSQL and one Redis. A rolling restart
// (A, wait until healthy, then B) under load loses no request, and every device is back soon.
jest.setTimeout(240_000);
const DEVICES = 30;
const LOAD_WORKERS = 8;
const describeWithNginx = NGINX ? describe : describe.skip;

interface Load {
  sent: number;
  failures: string[];
  stop(): Promise<void>;
}

/** Workers that send `me` through the balancer back to back until stopped. */
function steadyLoad(graphqlUrl: string, token: string): Load {
  let running = true;
  const load: Load = { sent: 0, failures: [], stop: async () => undefined };
  const worker = async () => {
    while (running) {
      load.sent++;
      try {
        const result = await request(graphqlUrl, MeDocument, {}, { token });
        if (!result.data?.me) load.failures.push(JSON.stringify(result).slice(0, 200));
      } catch (error) {
        load.failures.push(String(error).slice(0, 200));
      }
    }
  };
  const workers = Array.from({ length: LOAD_WORKERS }, worker);
  load.stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return load;
}

describeWithNginx("a rolling restart behind the shipped nginx", () => {
  const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis } = {};
  beforeAll(async () => {
    [deps.postgres, deps.redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  }, CLUSTER_START_TIMEOUT_MS);
  afterAll(async () => {
    await deps.redis?.kill();
    await deps.postgres?.destroy();
  });

  test("no request fails, devices on a page of another port keep their pushes, and all are back within 30 s", async () => {
    const [portA, portB, portLb] = [await freePort(), await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${portLb}`;
    const env = (port: number) => ({
      DATABASE_URL: deps.postgres!.url,
      REDIS_URL: deps.redis!.url,
      PORT: String(port),
      DATA_DIR: tempDataDir(),
      JWT_SECRET: "rolling-restart-test-secret-of-at-least-32-bytes",
      TRUST_PROXY: "1",
      PUBLIC_URL: publicUrl,
      SIGNUP_MAX_PER_IP: "1000",
    });
    const instances: ServiceProcess[] = [await startServiceProcess(env(portA)), await startServiceProcess(env(portB))];
    const balancer = await Balancer.start(portLb, [portA, portB]);
    const server = serverAt(publicUrl);
    const devices: ReconnectingDevice[] = [];
    let load: Load | undefined;
    try {
      const owner = await signUp(server);
      for (let i = 0; i < DEVICES; i++) devices.push(reconnectingDevice(server.wsUrl, (await login(server, owner.user.email)).accessToken, publicUrl));
      await until(() => devices.every((d) => d.connected), 30_000);
      load = steadyLoad(server.graphqlUrl, owner.accessToken);

      for (const [index, port] of [portA, portB].entries()) {
        instances[index].child.kill("SIGTERM");
        await instances[index].exited;
        instances[index] = await startServiceProcess(env(port));
        await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 30_000);
      }
      const restarted = Date.now();
      await until(() => devices.every((d) => d.connected), 30_000);
      expect(Date.now() - restarted).toBeLessThan(30_000);
      await sleep(500);
      await load.stop();
      expect({ sent: load.sent, failures: load.failures.slice(0, 5) }).toEqual({ sent: load.sent, failures: [] });
      expect(load.sent).toBeGreaterThan(100);
      expect(balancer.errors()).not.toMatch(/no live upstreams/);

      dataOf(await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: owner.accessToken }));
      await until(() => devices.every((d) => d.revoked.length === 1), 15_000);
    } finally {
      await load?.stop();
      await Promise.all(devices.map((d) => d.stop()));
      await balancer.stop();
      for (const instance of instances) instance.child.kill("SIGKILL");
    }
  });
});
