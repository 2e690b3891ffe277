import path from "node:path";
import { CloseCode } from "graphql-ws";
import { print } from "graphql";
import { WebSocket } from "ws";
import { MeDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { userWithSessions } from "../helpers/accounts";
import { expectActive } from "../helpers/checks";
import { codeOf, dataOf, request, requestRaw } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { PrivateRedis } from "../helpers/private-redis";
import { startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { changeOn, subscribeChanges } from "../helpers/session-changes";
import { tempDataDir, useTestServer } from "../helpers/test-server";
import { revocationOf, watchRevocation } from "../helpers/ws-client";

const SECRET = "test-secret-that-is-at-least-32-bytes-long!";

// Instance 1 runs here; instance 2 is a service process that dies with SIGKILL in the middle of
// an ending. Both on a PostgreSQL and a Redis of this file's own.
describe("[plan 48] an instance killed in the middle of an ending", () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  }, CLUSTER_START_TIMEOUT_MS);
  const env = {
    JWT_SECRET: SECRET,
    // Instance 1 hears of endings through Redis, or reads them from the revocation log this often.
    SESSION_SWEEP_INTERVAL_MS: "500",
    get DATABASE_URL() {
      return postgres.url;
    },
    get REDIS_URL() {
      return redis.url;
    },
  };
  const one = useTestServer(env);
  afterAll(async () => {
    await redis?.kill();
    await postgres?.destroy();
  });

  /** Instance 2: the service process, killed at `killAt` if given. */
  function startTwo(killAt?: "publish" | "ending"): Promise<ServiceProcess> {
    return startServiceProcess({
      ...env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      DATA_DIR: tempDataDir(),
      ...(killAt ? { KILL_AT: killAt, NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "kill-at.js")}` } : {}),
    });
  }

  /** Instance 2 started again as an operator would, without the fault, for `use`. */
  async function withRestartedTwo(use: (two: ServiceProcess) => Promise<void>): Promise<void> {
    const restarted = await startTwo();
    try {
      await use(restarted);
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  }

  async function terminateOn(two: ServiceProcess, sessionId: string, token: string) {
    const query = print(TerminateSessionDocument);
    return requestRaw<{ terminateSession: boolean }>(`${two.url}/graphql`, { query, variables: { sessionId } }, { token });
  }

  test("[plan 48] killed after the commit, before the publish: the ending holds everywhere and the socket is still told and closed", async () => {
    const { sessions: [a, b] } = await userWithSessions(one, 2);
    const socket = await watchRevocation(one, a.accessToken, a.session.id);
    const two = await startTwo("publish");
    await expect(terminateOn(two, a.session.id, b.accessToken)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await two.exited).toBe("SIGKILL");

    // Committed, and never announced: nobody was told it succeeded. Instance 1 reads it from the
    // revocation log within its catch-up interval; from then on the token is refused and the socket told.
    const started = Date.now();
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "TERMINATED" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(codeOf(await request(one.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");

    await withRestartedTwo(async (restarted) => {
      expect(codeOf(await request(`${restarted.url}/graphql`, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
      // The caller, told nothing, retries: the ending is already there.
      expect(dataOf(await terminateOn(restarted, a.session.id, b.accessToken)).terminateSession).toBe(false);
      await expectActive(one, b.accessToken);
    });
  });

  test("[plan 48] killed before the commit: nothing ended, the caller got an error, and a retry ends it", async () => {
    const { sessions: [a, b, c] } = await userWithSessions(one, 3);
    const socket = await watchRevocation(one, a.accessToken, a.session.id);
    // The same connection also lists the user's sessions, so the marker below arrives on it.
    await subscribeChanges(one, socket, a.user.id);
    const two = await startTwo("ending");
    await expect(terminateOn(two, a.session.id, b.accessToken)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await two.exited).toBe("SIGKILL");

    await expectActive(one, a.accessToken);
    const [row] = await one.db.query("SELECT ended_at FROM sessions WHERE id = $1", [a.session.id]);
    expect(row.ended_at).toBeNull();
    // A marker logged after anything instance 2 could have committed: c ended behind the services'
    // back (psql), which instance 1 learns from the revocation log alone, read in log order. Up to
    // it the socket is still open and was told nothing else.
    await one.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'ADMIN_LOGOUT' WHERE id = $1`, [c.session.id]);
    expect(await changeOn(socket, 0)).toMatchObject({ change: "ENDED", reason: "ADMIN_LOGOUT", session: { id: c.session.id } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.messagesOfType("next").map((m) => m.id)).toEqual(["changes"]);

    await withRestartedTwo(async (restarted) => {
      expect(dataOf(await terminateOn(restarted, a.session.id, b.accessToken)).terminateSession).toBe(true);
      expect((await revocationOf(socket)).event).toMatchObject({ sessionId: a.session.id, reason: "TERMINATED" });
    });
  });
});
