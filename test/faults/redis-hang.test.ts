import { performance } from "node:perf_hooks";
import { LoginDocument, MeDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { PASSWORD, userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { twoInstancesOnOwnRedis } from "../helpers/own-fleet";
import { until } from "../helpers/time";
import { revocationOf, watchRevocation } from "../helpers/ws-client";
import { healthOf } from "../helpers/checks";

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

// A Redis that hangs (SIGSTOP: connections open, nothing answered) must not hang the service.
describe("Redis stops answering", () => {
  const { a, b, redis } = twoInstancesOnOwnRedis(500);

  test("endings and logins are answered within the deadline, health says so within 5 s, the other instance still refuses, and all recovers by itself", async () => {
    const { email, sessions: [s1, s2, s3] } = await userWithSessions(a, 3);
    for (const server of [a, b]) expect(await healthOf(server)).toMatchObject({ bus: "connected", authCheck: "memory" });
    redis().pause();
    try {
      const ended = await timed(() => request(a.graphqlUrl, TerminateSessionDocument, { sessionId: s2.session.id }, { token: s1.accessToken }));
      expect(dataOf(ended.result).terminateSession).toBe(true);
      const loggedIn = await timed(() => request(a.graphqlUrl, LoginDocument, { email, password: PASSWORD }));
      expect(dataOf(loggedIn.result).login.accessToken).toBeTruthy();
      // Each waited at most for the deadlines (500 ms a command), never for Redis to come back.
      expect(Math.max(ended.ms, loggedIn.ms)).toBeLessThan(1500);
      const noticed = await timed(() => until(async () => (await healthOf(a)).bus === "down" && (await healthOf(b)).bus === "down", 5000));
      expect(noticed.ms).toBeLessThan(5000);
      for (const server of [a, b]) expect(await healthOf(server)).toMatchObject({ bus: "down", authCheck: "database" });
      // B never heard of the ending through Redis; it asks the database, which knows.
      expect(codeOf(await request(b.graphqlUrl, MeDocument, {}, { token: s2.accessToken }))).toBe("UNAUTHENTICATED");
    } finally {
      redis().resume();
    }
    await until(async () => (await healthOf(a)).authCheck === "memory" && (await healthOf(b)).authCheck === "memory", 10_000);
    // Pushes across instances work again.
    const socket = await watchRevocation(b, s3.accessToken, s3.session.id);
    dataOf(await request(a.graphqlUrl, TerminateSessionDocument, { sessionId: s3.session.id }, { token: s1.accessToken }));
    expect((await revocationOf(socket)).event.reason).toBe("TERMINATED");
  });
});
