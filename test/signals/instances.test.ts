import path from "node:path";
import { print } from "graphql";
import { LogoutDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { startServiceProcess } from "../../support/service-process";
import { kindOf, SetReceiver, type ReceivedSet } from "../../support/set-receiver";
import { login, PASSWORD, signUp, uniqueEmail, userWithSessions, type Signed } from "../helpers/accounts";
import { request, requestRaw } from "../helpers/graphql-client";
import { usePrivatePostgres } from "../helpers/private-postgres";
import { pushStream, type PushSetup } from "../helpers/ssf";
import { tempDataDir, useTestServer } from "../helpers/test-server";

const SECRET = "test-secret-that-is-at-least-32-bytes-long!";
const revokedOf = (sessionId: string) => (set: ReceivedSet) => kindOf(set) === "session-revoked" && (set.claims.sub_id as any)?.session?.id === sessionId;

describe("two instances on one database deliver each event once", () => {
  const adminEmail = uniqueEmail("admin");
  // A fleet has one public origin, the issuer of every instance's events; each instance has its own key.
  const env = { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, SIGNALS_INSECURE_HOSTS: "127.0.0.1", PUBLIC_URL: "https://sessions.example.com" };
  const one = useTestServer(env);
  const two = useTestServer(env);
  let push: PushSetup;

  afterAll(async () => {
    await push?.sets.stop();
  });

  test("endings made on both instances reach the receiver once each, in order, each verified against the JWKS that publishes every instance's key", async () => {
    push = await pushStream(one, (await login(one, adminEmail)).accessToken);
    const users: Signed[] = [];
    for (let i = 0; i < 20; i++) users.push(await signUp(i % 2 ? one : two));
    for (const [i, user] of users.entries()) await request((i % 2 ? two : one).graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
    for (const user of users) await push.sets.next(revokedOf(user.session.id), 15_000);
    // A marker after them all: by the time it arrives, any second copy of an earlier one would have too.
    const marker = await signUp(one);
    await request(two.graphqlUrl, LogoutDocument, {}, { token: marker.accessToken });
    await push.sets.next(revokedOf(marker.session.id), 15_000);
    const revoked = push.sets.received.filter((s) => kindOf(s) === "session-revoked");
    const jtis = push.sets.received.map((s) => s.claims.jti);
    expect(new Set(jtis).size).toBe(jtis.length);
    const sessions = revoked.map((s) => (s.claims.sub_id as any).session.id);
    expect(new Set(sessions).size).toBe(sessions.length);
    // Each was committed before the next began, so the stream's order is theirs.
    expect(sessions.filter((id) => users.some((u) => u.session.id === id))).toEqual(users.map((u) => u.session.id));
    expect(push.sets.rejected).toEqual([]);
  }, 60_000);
});

// The service process commits an ending and dies (SIGKILL) as it is about to push its event,
// holding the stream. Instance 1, on the same PostgreSQL, delivers it once the hold lapses.
describe("an instance killed after the commit loses no event", () => {
  const postgres = usePrivatePostgres();
  const adminEmail = uniqueEmail("admin");
  const env = {
    JWT_SECRET: SECRET,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: PASSWORD,
    SIGNALS_INSECURE_HOSTS: "127.0.0.1",
    get DATABASE_URL() {
      return postgres.url;
    },
  };
  const one = useTestServer(env);
  postgres.destroyAfterAll();
  let sets: SetReceiver | undefined;
  afterAll(async () => {
    await sets?.stop();
  });

  test("SIGKILL between the commit and the push: the event arrives once, from the other instance", async () => {
    const push = await pushStream(one, (await login(one, adminEmail)).accessToken);
    sets = push.sets;
    const { sessions: [a, b] } = await userWithSessions(one, 2);
    await push.sets.next((s) => kindOf(s) === "session-established" && (s.claims.sub_id as any).session.id === b.session.id);
    const killed = await startServiceProcess({
      ...env,
      DATABASE_URL: postgres.url,
      DATA_DIR: tempDataDir(),
      KILL_AT: "signal-push",
      NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "kill-at.js")}`,
    });
    // Its answer may or may not leave before it dies; the ending has committed either way.
    await requestRaw(`${killed.url}/graphql`, { query: print(TerminateSessionDocument), variables: { sessionId: a.session.id } }, { token: b.accessToken }).catch(() => undefined);
    // It dies as it pushes; should this instance's dispatcher have claimed the stream first, the
    // killed one never pushes, and is killed here instead: after the commit all the same.
    const died = await Promise.race([killed.exited, new Promise((resolve) => setTimeout(resolve, 10_000, "alive"))]);
    if (died === "alive") killed.child.kill("SIGKILL");
    expect(await killed.exited).toBe("SIGKILL");
    await push.sets.next(revokedOf(a.session.id), 30_000);
    const marker = await signUp(one);
    await push.sets.next((s) => kindOf(s) === "session-established" && (s.claims.sub_id as any).session.id === marker.session.id, 15_000);
    expect(push.sets.received.filter(revokedOf(a.session.id))).toHaveLength(1);
  }, 90_000);
});
