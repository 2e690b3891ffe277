import { AdminLogoutUserDocument, ChangePasswordDocument, LogoutDocument, SignalReceiversDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { provisionUser } from "../../src/accounts/account-provisioning";
import { UnitOfWork } from "../../src/sessions/unit-of-work";
import { kindOf, type ReceivedSet } from "../../support/set-receiver";
import { login, PASSWORD, signUp, uniqueEmail, USER_AGENTS, type Signed } from "../helpers/accounts";
import { dataOf, request, sendHttp } from "../helpers/graphql-client";
import { useOwnPostgresDatabase } from "../helpers/own-database";
import { useTestServer } from "../helpers/test-server";
import { until } from "../helpers/time";
import { ALL_CAEP, CAEP, PUSH, pushStream, SSF, ssfCall, type PushSetup } from "../helpers/ssf";

const ofSession = (sessionId: string, kind: string) => (set: ReceivedSet) => kindOf(set) === kind && (set.claims.sub_id as any)?.session?.id === sessionId;

describe("security events pushed to a receiver (RFC 8935)", () => {
  const adminEmail = uniqueEmail("admin");
  // A stream covers every user: on a shared PostgreSQL, another file's logins would reach these
  // streams too, and fail at a receiver stopped on purpose after this file's own event did.
  const own = useOwnPostgresDatabase("push");
  const server = useTestServer({
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: PASSWORD,
    SIGNALS_INSECURE_HOSTS: "127.0.0.1",
    METRICS_TOKEN: "metrics-token-of-the-test",
    ...(own && { DATABASE_URL: own.url }),
  });
  let adminToken: string;
  let push: PushSetup;
  /** A receiver's first stream, as the administrators' GraphQL shows it. */
  const streamOf = async (receiverId: string) =>
    dataOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: adminToken })).signalReceivers.find((r) => r.id === receiverId)!.streams[0];
  /** The stream once it reports an error. */
  async function failing(receiverId: string, timeoutMs = 15_000) {
    await until(async () => (await streamOf(receiverId)).lastError !== null, timeoutMs);
    return streamOf(receiverId);
  }

  beforeAll(async () => {
    adminToken = (await login(server, adminEmail)).accessToken;
    push = await pushStream(server, adminToken);
  });
  afterAll(async () => {
    await push?.sets.stop();
  });

  test("a login is a session-established SET, a logout a session-revoked one: header and claims as SSF 1.0 and CAEP 1.0 say", async () => {
    const user = await signUp(server, uniqueEmail(), USER_AGENTS.iphoneSafari);
    const established = await push.sets.next(ofSession(user.session.id, "session-established"));
    expect(established.header).toMatchObject({ alg: "RS256", typ: "secevent+jwt" });
    expect(typeof established.header.kid).toBe("string");
    const { claims } = established;
    expect(claims.iss).toBe(`http://localhost:${server.port}`);
    expect(claims.aud).toBe(push.receiver.clientId);
    expect(typeof claims.iat).toBe("number");
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof claims.txn).toBe("string");
    expect(claims).not.toHaveProperty("sub");
    expect(claims).not.toHaveProperty("exp");
    expect(claims.sub_id).toEqual({
      format: "complex",
      user: { format: "iss_sub", iss: claims.iss, sub: user.user.id },
      session: { format: "opaque", id: user.session.id },
    });
    expect(established.type).toBe(`${CAEP}session-established`);
    expect(established.event).toMatchObject({ ips: ["127.0.0.1"], amr: ["pwd"] });
    expect(established.event.fp_ua).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(established.event.session_signals).toEqual([]);
    expect(Math.abs((established.event.event_timestamp as number) - Date.now() / 1000)).toBeLessThan(30);

    await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
    const revoked = await push.sets.next(ofSession(user.session.id, "session-revoked"));
    expect(revoked.event).toMatchObject({ initiating_entity: "user", session_end_reason: "LOGOUT" });
    expect((revoked.event.reason_admin as { en: string }).en).not.toBe("");
    expect((revoked.event.reason_user as { en: string }).en).not.toBe("");
    expect(revoked.claims.jti).not.toBe(established.claims.jti);
    expect(push.sets.rejected).toEqual([]);
  });

  test("who ended it: admin for ADMIN_LOGOUT, user for TERMINATED and PASSWORD_CHANGED; a password change is a credential-change sharing the endings' txn", async () => {
    const email = uniqueEmail();
    const first = await signUp(server, email);
    const second = await login(server, email);
    const third = await login(server, email);
    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: second.session.id }, { token: first.accessToken }));
    expect((await push.sets.next(ofSession(second.session.id, "session-revoked"))).event.initiating_entity).toBe("user");

    dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: "another good password" }, { token: first.accessToken }));
    const changed = await push.sets.next((set) => kindOf(set) === "credential-change" && (set.claims.sub_id as any).user.sub === first.user.id);
    expect(changed.event).toMatchObject({ credential_type: "password", change_type: "update", initiating_entity: "user" });
    expect(changed.claims.sub_id).toEqual({ format: "complex", user: { format: "iss_sub", iss: changed.claims.iss, sub: first.user.id } });
    const ended = await push.sets.next(ofSession(third.session.id, "session-revoked"));
    expect(ended.event).toMatchObject({ initiating_entity: "user", session_end_reason: "PASSWORD_CHANGED" });
    expect(ended.claims.txn).toBe(changed.claims.txn);

    dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: first.user.id }, { token: adminToken }));
    expect((await push.sets.next(ofSession(first.session.id, "session-revoked"))).event.initiating_entity).toBe("admin");
  });

  test("one adminLogoutUser of several sessions: one session-revoked SET for each, none twice, all sharing one txn", async () => {
    const email = uniqueEmail();
    const sessions = [await signUp(server, email)];
    for (let i = 0; i < 4; i++) sessions.push(await login(server, email));
    dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: sessions[0].user.id }, { token: adminToken }));
    const ended = [];
    for (const s of sessions) ended.push(await push.sets.next(ofSession(s.session.id, "session-revoked")));
    expect(ended.map((set) => set.event.session_end_reason)).toEqual(sessions.map(() => "ADMIN_LOGOUT"));
    expect(new Set(ended.map((set) => set.claims.txn)).size).toBe(1);
    // Anything queued twice would have arrived by now, with the last of the five.
    const ids = new Set(sessions.map((s) => s.session.id));
    const revokedOfThese = push.sets.received.filter((set) => kindOf(set) === "session-revoked" && ids.has((set.claims.sub_id as any)?.session?.id));
    expect(revokedOfThese).toHaveLength(sessions.length);
  });

  test("an operator's password reset (user:create) is initiated by admin, in its credential-change and the endings it makes", async () => {
    const email = uniqueEmail();
    const user = await signUp(server, email);
    // What `npm run user:create -- --email … --password-stdin` runs, here in-process on the same database.
    await provisionUser(new UnitOfWork(server.db), email, { password: "a password set by the operator" });
    const changed = await push.sets.next((set) => kindOf(set) === "credential-change" && (set.claims.sub_id as any).user.sub === user.user.id);
    expect(changed.event.initiating_entity).toBe("admin");
    const ended = await push.sets.next(ofSession(user.session.id, "session-revoked"));
    expect(ended.event).toMatchObject({ initiating_entity: "admin", session_end_reason: "PASSWORD_CHANGED" });
    expect(ended.claims.txn).toBe(changed.claims.txn);
  });

  test("verification: the state comes back in a verification SET about the stream; 204", async () => {
    const answer = await ssfCall(server, "POST", "/ssf/verify", { token: push.token, body: { stream_id: push.streamId, state: "a-state-42" } });
    expect(answer.status).toBe(204);
    const set = await push.sets.next((s) => s.type === `${SSF}verification` && s.event.state === "a-state-42");
    expect(set.claims.sub_id).toEqual({ format: "opaque", id: push.streamId });
  });

  test("pause holds events and says so; enable delivers what was held, in order; disable drops them", async () => {
    const status = (body: unknown) => ssfCall(server, "POST", "/ssf/status", { token: push.token, body });
    expect((await status({ stream_id: push.streamId, status: "paused", reason: "maintenance" })).json).toEqual({ stream_id: push.streamId, status: "paused", reason: "maintenance" });
    const paused = await push.sets.next((s) => s.type === `${SSF}stream-updated` && s.event.status === "paused");
    expect(paused.event.reason).toBe("maintenance");
    const mark = push.sets.received.length;
    const held = [await signUp(server), await signUp(server), await signUp(server)];
    // Held: the stream reports them waiting, and none arrives.
    const holding = await streamOf(push.receiver.id);
    expect(holding.pending).toBeGreaterThanOrEqual(3);
    expect(holding.status).toBe("PAUSED");
    expect((await ssfCall(server, "GET", `/ssf/status?stream_id=${push.streamId}`, { token: push.token })).json.status).toBe("paused");

    await status({ stream_id: push.streamId, status: "enabled" });
    for (const user of held) await push.sets.next(ofSession(user.session.id, "session-established"), 10_000, mark);
    const after = push.sets.received.slice(mark);
    // The stream-updated (enabled) and the held events, the held ones in the order they happened.
    expect(after.filter((s) => kindOf(s) === "session-established" && held.some((u) => u.session.id === (s.claims.sub_id as any).session.id)).map((s) => (s.claims.sub_id as any).session.id)).toEqual(
      held.map((u) => u.session.id),
    );
    expect(after.some((s) => kindOf(s) === "stream-updated" && s.event.status === "enabled")).toBe(true);
    // Nothing before the enable was delivered while paused.
    expect(push.sets.received.slice(mark).findIndex((s) => kindOf(s) === "stream-updated" && s.event.status === "enabled")).toBe(0);

    await status({ stream_id: push.streamId, status: "disabled" });
    await push.sets.next((s) => kindOf(s) === "stream-updated" && s.event.status === "disabled");
    const dropped = await signUp(server);
    await status({ stream_id: push.streamId, status: "enabled" });
    const marker = await signUp(server);
    await push.sets.next(ofSession(marker.session.id, "session-established"));
    expect(push.sets.received.some(ofSession(dropped.session.id, "session-established"))).toBe(false);
  });

  test("a removed subject gets nothing, by email, iss_sub or opaque; added back, it does", async () => {
    const issuer = `http://localhost:${server.port}`;
    for (const subjectOf of [
      (u: { email: string; id: string }) => ({ format: "email", email: u.email.toUpperCase() }),
      (u: { email: string; id: string }) => ({ format: "iss_sub", iss: issuer, sub: u.id }),
      (u: { email: string; id: string }) => ({ format: "opaque", id: u.id }),
    ]) {
      const email = uniqueEmail();
      const user = await signUp(server, email);
      const subject = subjectOf({ email, id: user.user.id });
      expect((await ssfCall(server, "POST", "/ssf/subjects/remove", { token: push.token, body: { stream_id: push.streamId, subject } })).status).toBe(204);
      const unseen = await login(server, email);
      const marker = await signUp(server);
      await push.sets.next(ofSession(marker.session.id, "session-established"));
      expect(push.sets.received.some(ofSession(unseen.session.id, "session-established"))).toBe(false);
      expect((await ssfCall(server, "POST", "/ssf/subjects/add", { token: push.token, body: { stream_id: push.streamId, subject, verified: true } })).status).toBe(200);
      const seen = await login(server, email);
      await push.sets.next(ofSession(seen.session.id, "session-established"));
    }
    // An unknown subject is accepted alike: the endpoint does not tell who has an account.
    expect((await ssfCall(server, "POST", "/ssf/subjects/remove", { token: push.token, body: { stream_id: push.streamId, subject: { format: "email", email: "nobody@example.com" } } })).status).toBe(204);
    expect((await ssfCall(server, "POST", "/ssf/subjects/remove", { token: push.token, body: { stream_id: push.streamId, subject: { format: "phone_number", phone_number: "+1" } } })).status).toBe(400);
  });

  test("a receiver down, then back, gets every event in order, none twice; a 400 is recorded and not retried", async () => {
    await push.sets.down();
    const users: Signed[] = [];
    for (let i = 0; i < 5; i++) users.push(await signUp(server));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stream = () => streamOf(push.receiver.id);
    expect((await stream()).lastError).toMatch(/cannot reach/);
    expect((await stream()).pending).toBeGreaterThanOrEqual(5);
    const mark = push.sets.received.length;
    await push.sets.up();
    for (const user of users) await push.sets.next(ofSession(user.session.id, "session-established"), 40_000, mark);
    const ids = push.sets.received.slice(mark).filter((s) => kindOf(s) === "session-established").map((s) => (s.claims.sub_id as any).session.id);
    expect(ids.filter((id) => users.some((u) => u.session.id === id))).toEqual(users.map((u) => u.session.id));
    const jtis = push.sets.received.map((s) => s.claims.jti);
    expect(new Set(jtis).size).toBe(jtis.length);

    push.sets.mode = "refuse";
    const refused = await signUp(server);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    push.sets.mode = "accept";
    const marker = await signUp(server);
    await push.sets.next(ofSession(marker.session.id, "session-established"));
    expect(push.sets.received.some(ofSession(refused.session.id, "session-established"))).toBe(false);
    expect((await stream()).lastError).toMatch(/invalid_request: refused by the test receiver/);
  }, 60_000);

  test("a stream delivers only what it asked for; push endpoints must be https outside SIGNALS_INSECURE_HOSTS", async () => {
    const only = await pushStream(server, adminToken, [`${CAEP}session-revoked`]);
    try {
      const created = await ssfCall(server, "GET", `/ssf/streams?stream_id=${only.streamId}`, { token: only.token });
      expect(created.json).toMatchObject({
        stream_id: only.streamId,
        aud: only.receiver.clientId,
        events_delivered: [`${CAEP}session-revoked`],
        delivery: { method: PUSH, endpoint_url: only.sets.url },
      });
      expect(created.json.events_supported).toEqual(expect.arrayContaining(ALL_CAEP));
      const user = await signUp(server);
      await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
      await only.sets.next(ofSession(user.session.id, "session-revoked"));
      expect(only.sets.received.some((s) => kindOf(s) === "session-established")).toBe(false);
      for (const endpoint_url of ["http://receiver.example.com/events", "ftp://127.0.0.1/x", "not a url", "https://user:pw@receiver.example.com/"]) {
        const refused = await ssfCall(server, "POST", "/ssf/streams", { token: only.token, body: { delivery: { method: PUSH, endpoint_url } } });
        expect(refused.status).toBe(400);
      }
      const secure = await ssfCall(server, "POST", "/ssf/streams", { token: only.token, body: { delivery: { method: PUSH, endpoint_url: "https://receiver.example.com/events" } } });
      expect(secure.status).toBe(201);
      expect((await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${secure.json.stream_id}`, { token: only.token })).status).toBe(204);
    } finally {
      await only.sets.stop();
    }
  });

  test("metrics: events by type and outcome, pending per stream, delivery latency", async () => {
    const user = await signUp(server);
    await push.sets.next(ofSession(user.session.id, "session-established"));
    const answer = await sendHttp(`${server.url}/metrics`, { headers: { authorization: "Bearer metrics-token-of-the-test" } });
    expect(answer.status).toBe(200);
    const { text } = answer;
    expect(text).toMatch(/session_service_signal_events_total\{type="session-established",outcome="delivered"\} [1-9]/);
    // Failed and refused attempts are counted by whichever instance made them (on a shared database, maybe another).
    expect(text).toContain('# HELP session_service_signal_events_total');
    expect(text).toMatch(/session_service_signal_delivery_seconds_count\{method="push"\} [1-9]/);
    expect(text).toContain("# TYPE session_service_signal_pending gauge");
  });

  describe("a receiver that misbehaves", () => {
    test("a push that gets no answer is given up after 5 s and tried again; a redirect is not followed", async () => {
      const slow = await pushStream(server, adminToken, [`${CAEP}session-established`]);
      try {
        slow.sets.mode = "hang";
        const user = await signUp(server);
        const hung = await failing(slow.receiver.id, 12_000);
        expect(hung.lastError).toBe("no answer within 5 s");
        slow.sets.mode = "accept";
        await slow.sets.next(ofSession(user.session.id, "session-established"), 45_000);
      } finally {
        await slow.sets.stop();
      }

      // An endpoint that redirects to one that would accept: the event stays undelivered.
      const http = await import("node:http");
      let followed = 0;
      const target = http.createServer((_req, res) => {
        followed++;
        res.writeHead(202).end();
      });
      await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
      const redirecting = await pushStream(server, adminToken, [`${CAEP}session-established`]);
      const port = (target.address() as { port: number }).port;
      await redirecting.sets.stop();
      const mover = http.createServer((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${port}/events` }).end());
      await new Promise<void>((resolve) => mover.listen(redirecting.sets.port, "127.0.0.1", resolve));
      try {
        await signUp(server);
        const stream = await failing(redirecting.receiver.id);
        expect(stream.lastError).toBe("HTTP 307 (redirects are not followed)");
        expect(stream.pending).toBeGreaterThanOrEqual(1);
        expect(followed).toBe(0);
      } finally {
        await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${redirecting.streamId}`, { token: redirecting.token });
        mover.close();
        target.close();
      }
    }, 90_000);

    test("a 400 invalid_key (a receiver that has not fetched a new key yet) is tried again, not dropped", async () => {
      const picky = await pushStream(server, adminToken, [`${CAEP}session-established`]);
      try {
        picky.sets.mode = "refuse-key";
        const user = await signUp(server);
        const refused = await failing(picky.receiver.id);
        expect(refused.lastError).toBe("refused for now: invalid_key: no key with that kid yet");
        picky.sets.mode = "accept";
        await picky.sets.next(ofSession(user.session.id, "session-established"), 45_000);
      } finally {
        await picky.sets.stop();
      }
    }, 60_000);

    test("an event not delivered within SIGNALS_RETRY_HOURS is dropped, and the stream says so", async () => {
      const away = await pushStream(server, adminToken, [`${CAEP}session-established`]);
      try {
        await away.sets.down();
        const old = await signUp(server);
        await failing(away.receiver.id);
        // As if it had waited 25 hours (the default window is 24).
        await server.db.query(`UPDATE signal_outbox SET created_at = created_at - interval '25 hours' WHERE stream_id = $1 AND session_id = $2`, [away.streamId, old.session.id]);
        // Dropped at its next try, while the receiver is still away: a try that had read the event
        // before it aged has met the refused connection by then, and cannot deliver it late.
        await until(async () => /dropped: not delivered within 24 h/.test((await streamOf(away.receiver.id)).lastError ?? ""), 20_000);
        await away.sets.up();
        const fresh = await signUp(server);
        await away.sets.next(ofSession(fresh.session.id, "session-established"), 45_000);
        expect(away.sets.received.some(ofSession(old.session.id, "session-established"))).toBe(false);
        expect((await streamOf(away.receiver.id)).lastError).toMatch(/dropped: not delivered within 24 h/);
      } finally {
        await away.sets.stop();
      }
    }, 60_000);
  });
});
