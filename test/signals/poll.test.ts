import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { LogoutDocument, SignalReceiversDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { until } from "../helpers/time";
import { CAEP, POLL, receiverToken, registerReceiver, ssfCall, type Registered } from "../helpers/ssf";

describe("security events polled by a receiver (RFC 8936)", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });
  let adminToken: string;
  let receiver: Registered;
  let token: string;
  let streamId: string;
  let pollPath: string;

  const poll = (body: unknown) => ssfCall(server, "POST", pollPath, { token, body });
  async function verified(sets: Record<string, string>) {
    const keys = createLocalJWKSet((await ssfCall(server, "GET", "/.well-known/jwks.json")).json as JSONWebKeySet);
    const out = [];
    for (const [jti, set] of Object.entries(sets)) {
      const { payload, protectedHeader } = await jwtVerify(set, keys, { issuer: `http://localhost:${server.port}`, audience: receiver.clientId, typ: "secevent+jwt", algorithms: ["RS256"] });
      expect(payload.jti).toBe(jti);
      expect(protectedHeader.typ).toBe("secevent+jwt");
      out.push(payload as any);
    }
    return out;
  }

  beforeAll(async () => {
    adminToken = (await login(server, adminEmail)).accessToken;
    receiver = await registerReceiver(server, adminToken, "SIEM");
    token = await receiverToken(server, receiver, "ssf.read ssf.manage");
    const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL }, events_requested: [`${CAEP}session-revoked`] } });
    streamId = created.json.stream_id;
    pollPath = new URL(created.json.delivery.endpoint_url).pathname;
  });

  // On a shared database every user's endings reach this stream too: the tests look for their own
  // sessions' events and acknowledge the rest as they go.
  const sessionOf = (payload: any) => payload.sub_id?.session?.id as string | undefined;
  async function pollUntil(want: string[], extra: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const deadline = Date.now() + timeoutMs;
    let ack: string[] = [];
    while (want.some((id) => !found.has(id))) {
      if (Date.now() > deadline) throw new Error(`not polled within ${timeoutMs} ms: ${want.filter((id) => !found.has(id)).join(", ")}`);
      const answer = await poll({ maxEvents: 1000, returnImmediately: true, ack, ...extra });
      expect(answer.status).toBe(200);
      const payloads = await verified(answer.json.sets);
      ack = payloads.filter((p) => !want.includes(sessionOf(p)!)).map((p) => p.jti);
      for (const p of payloads) if (want.includes(sessionOf(p)!)) found.set(sessionOf(p)!, p.jti);
    }
    if (ack.length) await poll({ ack, maxEvents: 0 });
    return found;
  }

  test("a poll returns the waiting SETs; acknowledged ones leave, the others come again", async () => {
    const users = [await signUp(server), await signUp(server)];
    for (const u of users) await request(server.graphqlUrl, LogoutDocument, {}, { token: u.accessToken });
    const found = await pollUntil(users.map((u) => u.session.id));
    const [ackd, kept] = users.map((u) => found.get(u.session.id)!);
    const again = await poll({ ack: [ackd], maxEvents: 1000, returnImmediately: true });
    const payloads = await verified(again.json.sets);
    expect(payloads.map((p) => p.jti)).toContain(kept);
    expect(payloads.map((p) => p.jti)).not.toContain(ackd);
    const revoked = payloads.find((p) => p.jti === kept);
    expect(revoked.events[`${CAEP}session-revoked`].initiating_entity).toBe("user");
    await poll({ ack: Object.keys(again.json.sets), maxEvents: 0 });
    const after = await poll({ maxEvents: 1000, returnImmediately: true });
    expect(Object.keys(after.json.sets)).not.toContain(kept);
    await poll({ ack: Object.keys(after.json.sets), maxEvents: 0 });
  });

  test("maxEvents and moreAvailable; setErrs are recorded and not sent again", async () => {
    const users = [await signUp(server), await signUp(server), await signUp(server)];
    for (const u of users) await request(server.graphqlUrl, LogoutDocument, {}, { token: u.accessToken });
    const page = await poll({ maxEvents: 2, returnImmediately: true });
    expect(Object.keys(page.json.sets)).toHaveLength(2);
    expect(page.json.moreAvailable).toBe(true);
    const found = await pollUntil(users.map((u) => u.session.id));
    const refused = found.get(users[0].session.id)!;
    await poll({ setErrs: { [refused]: { err: "invalid_audience", description: "not ours" } }, ack: [...found.values()].filter((j) => j !== refused), maxEvents: 0 });
    const later = await poll({ maxEvents: 1000, returnImmediately: true });
    expect(Object.keys(later.json.sets)).not.toContain(refused);
    await poll({ ack: Object.keys(later.json.sets), maxEvents: 0 });
    const stream = dataOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: adminToken })).signalReceivers.find((r) => r.id === receiver.id)!.streams[0];
    expect(stream.delivery).toBe("POLL");
    expect(stream.lastError).toContain("invalid_audience: not ours");
    expect(stream.lastDeliveredAt).not.toBeNull();
  });

  test("a long poll waits for the next event and answers as soon as it is committed", async () => {
    const user = await signUp(server);
    // Drain what is waiting, so the long poll has nothing to answer with at once.
    await pollUntil([]);
    for (let drained = false; !drained; ) {
      const answer = await poll({ maxEvents: 1000, returnImmediately: true });
      drained = Object.keys(answer.json.sets).length === 0;
      if (!drained) await poll({ ack: Object.keys(answer.json.sets), maxEvents: 0 });
    }
    const waiting = poll({ maxEvents: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const loggedOut = Date.now();
    await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
    let answer = await waiting;
    // Another user's event may have answered first; the next polls bring ours.
    while (!(await verified(answer.json.sets)).some((p) => sessionOf(p) === user.session.id)) {
      expect(Date.now() - loggedOut).toBeLessThan(5000);
      answer = await poll({ ack: Object.keys(answer.json.sets), maxEvents: 1000 });
    }
    expect(Date.now() - loggedOut).toBeLessThan(5000);
    await poll({ ack: Object.keys(answer.json.sets), maxEvents: 0 });
  });

  test("bad poll requests are 400; a push stream cannot be polled; verification comes by poll too", async () => {
    expect((await poll({ maxEvents: -1 })).status).toBe(400);
    expect((await poll({ ack: "all" })).status).toBe(400);
    expect((await poll({ returnImmediately: "yes" })).status).toBe(400);
    const pushed = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: "urn:ietf:rfc:8935", endpoint_url: "https://receiver.example.com/events" } } });
    expect((await ssfCall(server, "POST", `/ssf/poll/${pushed.json.stream_id}`, { token, body: { returnImmediately: true } })).status).toBe(400);
    await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${pushed.json.stream_id}`, { token });
    expect((await ssfCall(server, "POST", "/ssf/verify", { token, body: { stream_id: streamId, state: "s1" } })).status).toBe(204);
    const answer = await poll({ maxEvents: 1000, returnImmediately: true });
    const payload = (await verified(answer.json.sets)).find((p) => p.events["https://schemas.openid.net/secevent/ssf/event-type/verification"]);
    expect(payload.events["https://schemas.openid.net/secevent/ssf/event-type/verification"]).toEqual({ state: "s1" });
    expect(payload.sub_id).toEqual({ format: "opaque", id: streamId });
    await poll({ ack: Object.keys(answer.json.sets), maxEvents: 0 });
  });

  test("events nobody polls for SIGNALS_RETRY_HOURS are dropped, and the stream says so", async () => {
    const user = await signUp(server);
    await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
    // As if it had waited 25 hours (the default window is 24).
    await server.db.query(`UPDATE signal_outbox SET created_at = created_at - interval '25 hours' WHERE stream_id = $1 AND session_id = $2`, [streamId, user.session.id]);
    const waiting = async () => (await server.db.query(`SELECT 1 FROM signal_outbox WHERE stream_id = $1 AND session_id = $2`, [streamId, user.session.id])).length;
    await until(async () => (await waiting()) === 0, 10_000);
    const stream = dataOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: adminToken })).signalReceivers.find((r) => r.id === receiver.id)!.streams[0];
    expect(stream.lastError).toBe("events dropped: not delivered within 24 h");
  });
});
