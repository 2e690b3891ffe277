import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { provisionUser } from "../../src/accounts/account-provisioning";
import { UnitOfWork } from "../../src/sessions/unit-of-work";
import { LoginDocument, LogoutDocument, MeDocument, RefreshSessionDocument, TerminateSessionDocument, UsersDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp, uniqueEmail, userWithSessions, type Signed } from "../helpers/accounts";
import { TEST_SECRET } from "../helpers/forged-tokens";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { startTestServer, tempDataDir, useTestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";

// Ended stays ended, demoted stays demoted (issue 14, item 2), through what happens to a fleet:
// instances that issue tokens of different lifetimes, a step of a host's clock, a restart with a
// lower ACCESS_TOKEN_TTL_SECONDS. On a PostgreSQL and a Redis of the file's own. A is in this
// process; B and C are the built service with a preload that steps their wall clock on demand.

const SWEEP_MS = 200;
const TWO_HOURS_MS = 2 * 3600_000;

const deps: { postgres?: PrivatePostgres; redis?: PrivateRedis } = {};
beforeAll(async () => {
  [deps.postgres, deps.redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
}, CLUSTER_START_TIMEOUT_MS);

/** A's environment: the databases above are read when each server starts, after they are up. */
function envWith(extra: Record<string, string>) {
  return {
    ...extra,
    SESSION_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    get DATABASE_URL() {
      return deps.postgres!.url;
    },
    get REDIS_URL() {
      return deps.redis!.url;
    },
  };
}
const a = useTestServer(envWith({ ACCESS_TOKEN_TTL_SECONDS: "3600" }));

/** The built service whose wall clock this test steps (test/helpers/stepping-clock.js). */
interface SteppedService {
  process: ServiceProcess;
  graphqlUrl: string;
  shiftFile: string;
}

const stepped: SteppedService[] = [];
async function startStepped(ttlSeconds: number): Promise<SteppedService> {
  const dataDir = tempDataDir();
  const shiftFile = path.join(dataDir, "clock-shift");
  const started = await startServiceProcess({
    DATABASE_URL: deps.postgres!.url,
    REDIS_URL: deps.redis!.url,
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    ACCESS_TOKEN_TTL_SECONDS: String(ttlSeconds),
    SESSION_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "stepping-clock.js")}`,
    CLOCK_SHIFT_FILE: shiftFile,
  });
  const service = { process: started, graphqlUrl: `${started.url}/graphql`, shiftFile };
  stepped.push(service);
  return service;
}

/** Steps the service's wall clock to `ms` away from the true time; resolves once it applies. */
async function shiftClock(service: SteppedService, ms: number): Promise<void> {
  const line = `clock shifted ${ms}\n`;
  const before = service.process.output().split(line).length;
  fs.writeFileSync(service.shiftFile, String(ms));
  service.process.child.kill("SIGUSR2");
  await until(() => service.process.output().split(line).length > before);
}

// Declared after A, so they run once it has stopped.
afterAll(async () => {
  for (const service of stepped) {
    service.process.child.kill("SIGTERM");
    await service.process.exited;
  }
  await deps.redis?.kill();
  await deps.postgres?.destroy();
});

async function loginAt(graphqlUrl: string, email: string): Promise<Signed> {
  return dataOf(await request(graphqlUrl, LoginDocument, { email, password: PASSWORD })).login;
}

const meAt = (graphqlUrl: string, token: string) => request(graphqlUrl, MeDocument, {}, { token });
const refusedAt = async (graphqlUrl: string, token: string) => codeOf(await meAt(graphqlUrl, token)) === "UNAUTHENTICATED";
const acceptedAt = async (graphqlUrl: string, token: string) => (await meAt(graphqlUrl, token)).data?.me != null;

/** Waits out a few reads of the log, so that whatever memory would forget by now is forgotten. */
const afterSweeps = () => sleep(3 * SWEEP_MS);

describe("[issue 14] a fleet whose instances issue tokens of different lifetimes", () => {
  let b: SteppedService;
  beforeAll(async () => {
    b = await startStepped(8);
  });
  afterEach(async () => shiftClock(b, 0));

  test("[issue 14] B (ACCESS_TOKEN_TTL_SECONDS=8) refuses a token A (3600) issued, at once, and still after B's host clock passed its memory", async () => {
    const signed = await signUp(a);
    const onB = await loginAt(b.graphqlUrl, signed.user.email);
    // Control: A takes both lifetimes; B its own.
    for (const token of [signed.accessToken, onB.accessToken]) expect(await acceptedAt(a.graphqlUrl, token)).toBe(true);
    expect(await acceptedAt(b.graphqlUrl, onB.accessToken)).toBe(true);
    // A token B would not issue outlives what B remembers of endings: refused, though its session is active.
    expect(await refusedAt(b.graphqlUrl, signed.accessToken)).toBe(true);

    dataOf(await request(a.graphqlUrl, LogoutDocument, {}, { token: signed.accessToken }));
    for (const url of [a.graphqlUrl, b.graphqlUrl]) expect(await refusedAt(url, signed.accessToken)).toBe(true);

    // Two hours on B's host clock: an ending remembered by that clock would be forgotten now.
    await shiftClock(b, TWO_HOURS_MS);
    const fresh = await loginAt(b.graphqlUrl, signed.user.email);
    await until(() => acceptedAt(b.graphqlUrl, fresh.accessToken), 5000);
    await afterSweeps();
    for (const url of [a.graphqlUrl, b.graphqlUrl]) expect(await refusedAt(url, signed.accessToken)).toBe(true);
  });

  test("[issue 14] an administrator demoted in the database acts as USER on every instance for as long as any token of theirs is accepted", async () => {
    const email = uniqueEmail("demoted");
    await provisionUser(new UnitOfWork(a.db), email, { password: PASSWORD, role: "ADMIN" });
    const onA = await loginAt(a.graphqlUrl, email);
    const onB = await loginAt(b.graphqlUrl, email);
    const adminOp = (graphqlUrl: string, token: string) => request(graphqlUrl, UsersDocument, { emailContains: email }, { token });
    dataOf(await adminOp(a.graphqlUrl, onA.accessToken));
    dataOf(await adminOp(b.graphqlUrl, onB.accessToken));
    expect(codeOf(await adminOp(b.graphqlUrl, onA.accessToken))).toBe("UNAUTHENTICATED");

    const sql = new Client({ connectionString: deps.postgres!.url });
    await sql.connect();
    try {
      await sql.query(`UPDATE users SET role = 'USER' WHERE email = $1`, [email]);
    } finally {
      await sql.end();
    }
    await until(async () => codeOf(await adminOp(a.graphqlUrl, onA.accessToken)) === "FORBIDDEN", 3000);
    await until(async () => codeOf(await adminOp(b.graphqlUrl, onB.accessToken)) === "FORBIDDEN", 3000);
    expect(dataOf(await meAt(a.graphqlUrl, onA.accessToken)).me.role).toBe("USER");

    // B's host clock two hours on (a memory kept by it would forget the demotion), then every
    // token issued before the demotion, to the end of its life: never admin again.
    await shiftClock(b, TWO_HOURS_MS);
    const deadline = Date.parse(onB.accessTokenExpiresAt) + 1000;
    let checks = 0;
    while (Date.now() < deadline) {
      expect(codeOf(await adminOp(b.graphqlUrl, onB.accessToken))).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
      expect(codeOf(await adminOp(a.graphqlUrl, onA.accessToken))).toBe("FORBIDDEN");
      expect(codeOf(await adminOp(b.graphqlUrl, onA.accessToken))).toBe("UNAUTHENTICATED");
      checks++;
      await sleep(SWEEP_MS);
    }
    expect(checks).toBeGreaterThan(5);
  }, 60_000);
});

describe("[issue 14] a step of a host's clock", () => {
  let c: SteppedService;
  beforeAll(async () => {
    c = await startStepped(3600);
  });
  afterAll(async () => shiftClock(c, 0));

  test("[issue 14] ±2 h keeps an ended session's token refused, whether it ended before, during or after the step", async () => {
    const { sessions: [s1, s2, s3, live] } = await userWithSessions(a, 4);
    const end = (url: string, session: Signed) => request(url, TerminateSessionDocument, { sessionId: session.session.id }, { token: live.accessToken });
    // Each ending is in C's memory (read from the log too) before C's clock moves.
    dataOf(await end(c.graphqlUrl, s1));
    await afterSweeps();
    expect(await refusedAt(c.graphqlUrl, s1.accessToken)).toBe(true);

    // Two hours ahead: tokens are still judged by the database's clock (a live one is accepted at
    // once, not after a re-measurement), and what ended is still remembered.
    await shiftClock(c, TWO_HOURS_MS);
    await until(() => acceptedAt(c.graphqlUrl, live.accessToken), 2000);
    await afterSweeps();
    expect(await refusedAt(c.graphqlUrl, s1.accessToken)).toBe(true);
    dataOf(await end(c.graphqlUrl, s2));
    await afterSweeps();

    // Two hours behind: what ended meanwhile (s3, on A) is still remembered once the clock is set right.
    await shiftClock(c, -TWO_HOURS_MS);
    await until(() => acceptedAt(c.graphqlUrl, live.accessToken), 2000);
    dataOf(await end(a.graphqlUrl, s3));
    await until(() => refusedAt(c.graphqlUrl, s3.accessToken), 2000);
    await afterSweeps();
    await shiftClock(c, 0);
    await until(() => acceptedAt(c.graphqlUrl, live.accessToken), 2000);
    await afterSweeps();
    for (const url of [a.graphqlUrl, c.graphqlUrl]) {
      for (const ended of [s1, s2, s3]) expect(await refusedAt(url, ended.accessToken)).toBe(true);
      expect(await acceptedAt(url, live.accessToken)).toBe(true);
    }
  });
});

describe("[issue 14] a restart with a lower ACCESS_TOKEN_TTL_SECONDS", () => {
  test("[issue 14] the tokens issued before are refused, those of ended sessions and of active ones alike; a refresh gives one that works", async () => {
    const before = await startTestServer(envWith({ ACCESS_TOKEN_TTL_SECONDS: "3600" }));
    let ended!: Signed;
    let active!: Signed;
    try {
      ({ sessions: [ended, active] } = await userWithSessions(before, 2));
      dataOf(await request(before.graphqlUrl, LogoutDocument, {}, { token: ended.accessToken }));
    } finally {
      await before.stop();
    }
    const after = await startTestServer(envWith({ ACCESS_TOKEN_TTL_SECONDS: "8" }));
    try {
      expect(await refusedAt(after.graphqlUrl, ended.accessToken)).toBe(true);
      // Its session is active, but it would outlive what this instance now remembers of endings.
      expect(await refusedAt(after.graphqlUrl, active.accessToken)).toBe(true);
      const refreshed = dataOf(await request(after.graphqlUrl, RefreshSessionDocument, { refreshToken: active.refreshToken })).refreshSession;
      expect(Date.parse(refreshed.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(8000);
      expect(await acceptedAt(after.graphqlUrl, refreshed.accessToken)).toBe(true);
      // A, still at 3600, takes the shorter token too.
      expect(await acceptedAt(a.graphqlUrl, refreshed.accessToken)).toBe(true);
    } finally {
      await after.stop();
    }
  });
});
