import { Client } from "pg";
import { LoginDocument, MeDocument, RefreshSessionDocument } from "../../web/src/gql/graphql";
import { PASSWORD, userWithSessions, type Signed } from "../helpers/accounts";
import { codeOf, request, type HttpResult } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { tempDataDir, serverAt, type TestServer } from "../helpers/test-server";
import { sleep } from "../helpers/time";

const CLIENTS = 20;
const REQUESTS_PER_SECOND = 200;
// What a client's connection pool would allow: past it, a request is not sent (and counted).
const MAX_IN_FLIGHT = 300;

type Operation = "me" | "refresh" | "login";

interface Outcome {
  operation: Operation;
  /** "ok", or the error's code (with "+retryable" when it says so), or the transport failure. */
  result: string;
}

function outcomeOf(result: HttpResult<unknown>): string {
  if (!result.errors?.length) return "ok";
  const [error] = result.errors;
  return `${codeOf(result)}${error.extensions?.retryable === true ? "+retryable" : ""}`;
}

/**
 * A device that keeps its tokens the way a client should: it replaces them only when told to,
 * keeps them through errors, and so retries a refresh whose answer it never got.
 */
class Device {
  constructor(
    private tokens: Signed,
    private readonly email: string,
  ) {}

  get sessionId(): string {
    return this.tokens.session.id;
  }

  async act(server: TestServer, operation: Operation): Promise<Outcome> {
    let response: HttpResult<unknown>;
    try {
      if (operation === "me") response = await request(server.graphqlUrl, MeDocument, {}, { token: this.tokens.accessToken, timeoutMs: 30_000 });
      else if (operation === "refresh") {
        const refreshed = await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: this.tokens.refreshToken }, { timeoutMs: 30_000 });
        if (refreshed.data?.refreshSession) this.tokens = refreshed.data.refreshSession;
        response = refreshed;
      } else response = await request(server.graphqlUrl, LoginDocument, { email: this.email, password: PASSWORD }, { timeoutMs: 30_000 });
    } catch (error) {
      return { operation, result: `transport: ${(error as Error).message}` };
    }
    return { operation, result: outcomeOf(response) };
  }
}

interface Load {
  outcomes: Outcome[];
  /** Requests due at the set rate, per second. */
  offeredPerSecond: number;
  /** Of those, sent (not held back by MAX_IN_FLIGHT), per second. */
  sentPerSecond: number;
}

// Every request is `me`, `refreshSession` or `login`, spread over both instances.
function operationFor(tick: number): Operation {
  return tick % 10 === 9 ? "login" : tick % 5 === 1 ? "refresh" : "me";
}


// Two service processes, as deployed: a crash would be a process gone, not a test failure.
describe("[plan 47] PostgreSQL restarted under load", () => {
  let postgres: PrivatePostgres;
  let processes: ServiceProcess[] = [];
  let one: TestServer;
  let two: TestServer;
  // The test's own look at the database, beside the services'.
  let db: Client;
  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    const env = { DATABASE_URL: postgres.url, JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long!", SIGNUP_MAX_PER_IP: "1000" };
    // One at a time: the first migrates.
    for (let i = 0; i < 2; i++) processes.push(await startServiceProcess({ ...env, DATA_DIR: tempDataDir() }));
    [one, two] = processes.map((p) => serverAt(p.url));
    db = new Client(postgres.url);
    db.on("error", () => undefined);
    await db.connect();
  }, CLUSTER_START_TIMEOUT_MS);
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    for (const service of processes) {
      service.child.kill("SIGTERM");
      await service.exited;
    }
    await postgres?.destroy();
  });

  /**
   * Offers requests at the set rate until `done` resolves, whatever the answers take (an open
   * loop: requests stuck in an outage do not slow the offer down), and returns every outcome.
   * A device has one refresh in flight at a time, as a client holding one refresh token would.
   */
  async function underLoad(all: Device[], done: Promise<void>): Promise<Load> {
    const pending: Promise<Outcome>[] = [];
    const refreshing = new Set<Device>();
    const started = Date.now();
    let offered = 0;
    let inFlight = 0;
    let offeredUntil = started;
    let running = true;
    void done.then(() => (running = false));
    while (running) {
      offeredUntil = Date.now();
      for (const due = Math.floor(((offeredUntil - started) / 1000) * REQUESTS_PER_SECOND); offered < due; offered++) {
        if (inFlight >= MAX_IN_FLIGHT) continue;
        const device = all[offered % all.length];
        const operation = operationFor(offered) === "refresh" && refreshing.has(device) ? "me" : operationFor(offered);
        if (operation === "refresh") refreshing.add(device);
        inFlight++;
        const outcome = device.act(offered % 2 ? one : two, operation).finally(() => {
          inFlight--;
          if (operation === "refresh") refreshing.delete(device);
        });
        pending.push(outcome);
      }
      await sleep(5);
    }
    const seconds = (offeredUntil - started) / 1000;
    return { outcomes: await Promise.all(pending), offeredPerSecond: offered / seconds, sentPerSecond: pending.length / seconds };
  }

  async function devices(): Promise<Device[]> {
    const all: Device[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const { email, sessions: [signed] } = await userWithSessions(one, 1);
      all.push(new Device(signed, email));
    }
    return all;
  }

  /** What must hold after any outage: every device works again, on both instances, and no refresh chain broke. */
  async function expectRecovered(all: Device[]): Promise<void> {
    for (const device of all) {
      for (const server of [one, two]) {
        for (const operation of ["refresh", "me"] as const) expect(await device.act(server, operation)).toMatchObject({ result: "ok" });
      }
    }
    // Consume and issue happen in one transaction: every session has exactly one unspent token.
    const { rows: unspent } = await db.query(
      "SELECT count(t.*) FILTER (WHERE t.rotated_at IS NULL)::int AS live FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id WHERE s.id = ANY($1) GROUP BY s.id",
      [all.map((d) => d.sessionId)],
    );
    expect(unspent).toEqual(all.map(() => ({ live: 1 })));
    for (const server of [one, two]) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    for (const service of processes) expect(service.child.exitCode).toBeNull();
  }

  /** Never UNAUTHENTICATED (a client would throw its good tokens away), never a broken answer. */
  function expectOnlyRetryableFailures(outcomes: Outcome[]): void {
    const wrong = outcomes.filter((o) => o.result !== "ok" && o.result !== "INTERNAL_SERVER_ERROR+retryable");
    expect([...new Set(wrong.map((o) => `${o.operation}: ${o.result}`))]).toEqual([]);
  }

  function expectFailedClosedAndRetryable({ outcomes, offeredPerSecond, sentPerSecond }: Load): void {
    // How many of those went out depends on how fast two loaded cores answer: a figure, not a
    // check, told with any check that fails.
    const figures = `offered ${offeredPerSecond.toFixed(0)}/s, sent ${sentPerSecond.toFixed(0)}/s, ${outcomes.length} answered`;
    withFigures(figures, () => {
      expectOnlyRetryableFailures(outcomes);
      // The outage was real, and so was the traffic through it.
      expect(outcomes.filter((o) => o.result !== "ok").length).toBeGreaterThan(0);
      expect(offeredPerSecond).toBeGreaterThan(0.9 * REQUESTS_PER_SECOND);
    });
  }

  /** Runs the checks; a failure's message ends with the load's figures. */
  function withFigures(figures: string, checks: () => void): void {
    try {
      checks();
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n[plan 47] ${figures}`;
      throw error;
    }
  }

  test("[plan 47] stopped and started again: errors are retryable INTERNAL_SERVER_ERROR, never UNAUTHENTICATED, and both instances recover by themselves", async () => {
    const all = await devices();
    const load = await underLoad(
      all,
      (async () => {
        await sleep(1000);
        await postgres.stopServer();
        await sleep(2000);
        await postgres.startServer();
        await db.end().catch(() => undefined);
        db = new Client(postgres.url);
        db.on("error", () => undefined);
        await db.connect();
        await sleep(2000);
      })(),
    );
    expectFailedClosedAndRetryable(load);
    await expectRecovered(all);
  }, 60_000);

  test("[plan 47] every connection of the service terminated (pg_terminate_backend): the same", async () => {
    const all = await devices();
    const { outcomes } = await underLoad(
      all,
      (async () => {
        await sleep(1000);
        for (let i = 0; i < 3; i++) {
          await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
          await sleep(300);
        }
        await sleep(1500);
      })(),
    );
    expectOnlyRetryableFailures(outcomes);
    await expectRecovered(all);
  }, 60_000);
});
