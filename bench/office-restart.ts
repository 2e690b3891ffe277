import { performance } from "node:perf_hooks";
import { tempDataDir } from "../support/in-process-server";
import { reconnectingDevice, type ReconnectingDevice } from "../support/reconnecting-device";
import { freePort, startServiceProcess } from "../support/service-process";
import { gql, login, signUp, uniqueEmail } from "./graphql";

// An office behind one address across a restart: DEVICES graphql-ws clients with the settings its
// docs give for reconnecting for ever, the service stopped with SIGTERM and started again on the
// same port. How long until every device is back, and until every one hears an ending made then.
const DEVICES = Number(process.env.DEVICES ?? 200);
const PER_USER = 10;

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("not within the time allowed");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const port = await freePort();
  const env = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: tempDataDir(), PORT: String(port), SIGNUP_MAX_PER_IP: "100000" };
  let service = await startServiceProcess(env);
  const graphqlUrl = `${service.url}/graphql`;
  const devices: ReconnectingDevice[] = [];
  const owners = [];
  try {
    for (let u = 0; u < DEVICES / PER_USER; u++) {
      const email = uniqueEmail("office");
      owners.push(await signUp(graphqlUrl, email));
      for (let d = 0; d < PER_USER; d++) devices.push(reconnectingDevice(graphqlUrl.replace("http", "ws"), (await login(graphqlUrl, email)).accessToken));
    }
    await until(() => devices.every((d) => d.connections === 1), 60_000);
    const stopped = performance.now();
    service.child.kill("SIGTERM");
    await service.exited;
    service = await startServiceProcess(env);
    const up = performance.now();
    await until(() => devices.every((d) => d.connections === 2), 120_000);
    const back = performance.now();
    for (const owner of owners) await gql(graphqlUrl, "mutation { terminateOtherSessions }", {}, owner.accessToken);
    await until(() => devices.every((d) => d.revoked.length === 1), 60_000);
    const told = performance.now();
    const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
    console.log(`office restart: ${DEVICES} devices of one address, graphql-ws retryAttempts Infinity, ${db}`);
    console.log(`  SIGTERM -> service up again: ${((up - stopped) / 1000).toFixed(1)} s`);
    console.log(`  SIGTERM -> every device back: ${((back - stopped) / 1000).toFixed(1)} s (up -> all back ${((back - up) / 1000).toFixed(1)} s)`);
    console.log(`  ${owners.length} terminateOtherSessions -> every device told: ${((told - back) / 1000).toFixed(2)} s`);
    console.log(`  close codes seen: ${[...new Set(devices.flatMap((d) => d.closes))].join(", ")}`);
  } finally {
    await Promise.all(devices.map((d) => d.stop()));
    service.child.kill("SIGKILL");
  }
}

void main();
