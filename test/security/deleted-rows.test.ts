import { CloseCode } from "graphql-ws";
import { Client } from "pg";
import { LogoutDocument, MeDocument, MyActivityDocument } from "../../web/src/gql/graphql";
import { userWithSessions } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { twoInstancesOnOwnRedis } from "../helpers/own-fleet";
import type { TestServer } from "../helpers/test-server";
import { until } from "../helpers/time";
import { revocationOf, watchRevocation } from "../helpers/ws-client";

// Rows deleted behind the service's back, as an operator does in psql, are endings (issue 14,
// item 2): the session's tokens are refused on every instance, its sockets are told, and the
// trail says so. Retention's deletes of ended sessions are not new endings. Two instances on a
// PostgreSQL and a Redis of the file's own; the deletes come through a connection of their own.

const SWEEP_MS = 200;
// A psql change reaches memory with the next read of the revocation log.
const LOG_READ_MS = 10 * SWEEP_MS;

const { a, b, postgres } = twoInstancesOnOwnRedis(SWEEP_MS);
let sql: Client | undefined;
beforeAll(async () => {
  // After the servers: the schema is migrated by then.
  sql = new Client({ connectionString: postgres().url });
  // The fleet's PostgreSQL goes before this connection is ended.
  sql.on("error", () => undefined);
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
});

const psql = (text: string, values: unknown[]) => sql!.query(text, values);
const refusedOn = async (server: TestServer, token: string) => codeOf(await request(server.graphqlUrl, MeDocument, {}, { token })) === "UNAUTHENTICATED";

async function expectRefusedEverywhere(token: string): Promise<void> {
  for (const server of [a, b]) await until(() => refusedOn(server, token), LOG_READ_MS);
  // And it stays so.
  for (const server of [a, b]) expect(await refusedOn(server, token)).toBe(true);
}

/** The SESSION_ENDED entries of the user's trail, as the database has them (a deleted user's cannot be read through the API). */
async function endingsInTrail(userId: string): Promise<{ session_id: string; reason: string; by_administrator: boolean }[]> {
  const { rows } = await psql(
    `SELECT session_id, reason, by_administrator FROM activity WHERE user_id = $1 AND kind = 'SESSION_ENDED' ORDER BY session_id`,
    [userId],
  );
  return rows;
}

describe("[issue 14] DELETE FROM sessions, through a connection of its own", () => {
  test("[issue 14] the deleted session's token is refused on every instance, its socket is told, and its trail has the ending", async () => {
    const { sessions: [gone, kept] } = await userWithSessions(a, 2);
    const socket = await watchRevocation(b, gone.accessToken, gone.session.id);
    // Both instances have taken the token from memory before.
    for (const server of [a, b]) dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: gone.accessToken }));

    await psql(`DELETE FROM sessions WHERE id = $1`, [gone.session.id]);
    await expectRefusedEverywhere(gone.accessToken);
    expect(codeOf(await request(a.graphqlUrl, LogoutDocument, {}, { token: gone.accessToken }))).toBe("UNAUTHENTICATED");
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: gone.session.id, reason: "ADMIN_LOGOUT" });
    expect(close.code).toBe(CloseCode.Forbidden);

    const trail = dataOf(await request(b.graphqlUrl, MyActivityDocument, { kinds: ["SESSION_ENDED"] }, { token: kept.accessToken })).myActivity.nodes;
    expect(trail).toEqual([expect.objectContaining({ sessionId: gone.session.id, reason: "ADMIN_LOGOUT", byAdministrator: true, actor: null, deviceType: gone.session.deviceType })]);
    // The other session of the user is untouched.
    for (const server of [a, b]) dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: kept.accessToken }));
  });

  test("[issue 14] deleting ended sessions, as retention does, is not a new ending: nothing is logged again", async () => {
    const { sessions: [s1, s2] } = await userWithSessions(a, 2);
    for (const s of [s1, s2]) dataOf(await request(a.graphqlUrl, LogoutDocument, {}, { token: s.accessToken }));
    const logged = async () => {
      const { rows } = await psql(`SELECT count(*)::int AS n FROM revocation_log WHERE session_id = ANY($1::uuid[])`, [[s1.session.id, s2.session.id]]);
      return { log: rows[0].n, trail: (await endingsInTrail(s1.user.id)).length };
    };
    expect(await logged()).toEqual({ log: 2, trail: 2 });
    // Retention's own sweep, with retention 0 days: it deletes the ended sessions and their trail
    // (the log's entries are younger than the day it is told to keep them).
    await a.services.sessions.purgeEnded(0, 86_400);
    expect(await logged()).toEqual({ log: 2, trail: 0 });
    // An operator's delete of what is left: still nothing new in the log or the trail.
    await psql(`DELETE FROM sessions WHERE user_id = $1`, [s1.user.id]);
    const { rows } = await psql(`SELECT count(*)::int AS n FROM sessions WHERE id = ANY($1::uuid[])`, [[s1.session.id, s2.session.id]]);
    expect(rows[0].n).toBe(0);
    expect(await logged()).toEqual({ log: 2, trail: 0 });
  });
});

describe("[issue 14] DELETE FROM users, through a connection of its own", () => {
  test("[issue 14] the user's tokens are refused on every instance, their sockets are told, and each active session's ending is in the trail", async () => {
    const { sessions: [s1, s2, done] } = await userWithSessions(a, 3);
    dataOf(await request(a.graphqlUrl, LogoutDocument, {}, { token: done.accessToken }));
    const socket = await watchRevocation(b, s1.accessToken, s1.session.id);

    await psql(`DELETE FROM users WHERE id = $1`, [s1.user.id]);
    for (const s of [s1, s2]) await expectRefusedEverywhere(s.accessToken);
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: s1.session.id, reason: "ADMIN_LOGOUT" });
    expect(close.code).toBe(CloseCode.Forbidden);

    // The trail has no foreign key to users: the entries outlive the account, one per ending.
    const expected = [
      { session_id: s1.session.id, reason: "ADMIN_LOGOUT", by_administrator: true },
      { session_id: s2.session.id, reason: "ADMIN_LOGOUT", by_administrator: true },
      { session_id: done.session.id, reason: "LOGOUT", by_administrator: false },
    ].sort((x, y) => (x.session_id < y.session_id ? -1 : 1));
    expect(await endingsInTrail(s1.user.id)).toEqual(expected);
  });
});
