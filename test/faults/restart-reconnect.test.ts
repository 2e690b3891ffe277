import { LoginDocument, TerminateOtherSessionsDocument } from "../../web/src/gql/graphql";
import { freePort, startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { PASSWORD, signUp } from "../helpers/accounts";
import { dataOf, request } from "../helpers/graphql-client";
import { reconnectingDevice, type ReconnectingDevice } from "../../support/reconnecting-device";
import { seededDataDir, serverAt } from "../helpers/test-server";
import { until } from "../helpers/time";

// An office behind one address: 200 devices with graphql-ws's reconnect-forever settings ride
// out a restart (SIGTERM, up again on the same port) and are told of endings made after it.
jest.setTimeout(180_000);
const DEVICES = 200;
const USERS = 20;
const databaseEnv = { DATABASE_URL: process.env.DATABASE_URL };

describe("a restart with an office of devices behind one address", () => {
  test("all 200 reconnect (1012 is retried, the handshake burst admits them) and hear the endings made after", async () => {
    const dataDir = await seededDataDir();
    const port = await freePort();
    const env = { ...databaseEnv, DATA_DIR: dataDir, PORT: String(port), SIGNUP_MAX_PER_IP: "1000" };
    let service: ServiceProcess | undefined = await startServiceProcess(env);
    const devices: ReconnectingDevice[] = [];
    try {
      const server = serverAt(service.url);
      const owners = [];
      for (let u = 0; u < USERS; u++) {
        const owner = await signUp(server);
        owners.push(owner);
        for (let d = 0; d < DEVICES / USERS; d++) {
          const signedIn = dataOf(await request(server.graphqlUrl, LoginDocument, { email: owner.user.email, password: PASSWORD })).login;
          devices.push(reconnectingDevice(server.wsUrl, signedIn.accessToken));
        }
      }
      await until(() => devices.every((d) => d.connections === 1), 30_000);

      service.child.kill("SIGTERM");
      await service.exited;
      service = await startServiceProcess(env);
      // graphql-ws's own back-off (1 s, 2 s, 4 s … plus up to 3 s of jitter) sets the pace.
      await until(() => devices.every((d) => d.connections === 2), 60_000);
      // Every device was closed with 1012 (Service Restart) and nothing a client treats as final.
      expect(devices.filter((d) => d.closes[0] !== 1012)).toEqual([]);
      expect(new Set(devices.flatMap((d) => d.closes))).not.toContain(4429);

      for (const owner of owners) dataOf(await request(server.graphqlUrl, TerminateOtherSessionsDocument, {}, { token: owner.accessToken }));
      await until(() => devices.every((d) => d.revoked.length === 1), 30_000);
      expect(new Set(devices.flatMap((d) => d.revoked))).toEqual(new Set(["TERMINATED_OTHERS"]));
    } finally {
      await Promise.all(devices.map((d) => d.stop()));
      service?.child.kill("SIGKILL");
    }
  });
});
