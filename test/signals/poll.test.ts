import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { LogoutDocument, SignalReceiversDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
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

  test("a poll returns the waiting SETs; acknowledged ones leave, the others come again", async () => {
    const users = [await signUp(server), await signUp(server)];
    for (const u of users) await request(server.graphqlUrl, LogoutDocument, {}, { token: u.accessToken });
    const first = await poll({ returnImmediately: true });
    expect(first.status).toBe(200);
    const payloads = await verified(first.json.sets);
    expect(payloads.map((p) => p.sub_id.session.id)).toEqual(users.map((u) => u.session.id));
    expect(payloads.every((p) => p.events[`${CAEP}session-revoked`].initiating_entity === "user")).toBe(true);
    expect(first.json.moreAvailable).toBe(false);

    const [ackd, kept] = Object.keys(first.json.sets);
    const second = await poll({ ack: [ackd], returnImmediately: true });
    expect(Object.keys(second.json.sets)).toEqual([kept]);
    const third = await poll({ ack: [kept], returnImmediately: true });
    expect(third.json.sets).toEqual({});
  });

  test("maxEvents and moreAvailable; setErrs are recorded and not sent again", async () => {
    const users = [await signUp(server), await signUp(server), await signUp(server)];
    for (const u of users) await request(server.graphqlUrl, LogoutDocument, {}, { token: u.accessToken });
    const page = await poll({ maxEvents: 2, returnImmediately: true });
    expect(Object.keys(page.json.sets)).toHaveLength(2);
    expect(page.json.moreAvailable).toBe(true);
    const [a, b] = Object.keys(page.json.sets);
    const rest = await poll({ ack: [a], setErrs: { [b]: { err: "invalid_audience", description: "not ours" } }, returnImmediately: true });
    expect(Object.keys(rest.json.sets)).toHaveLength(1);
    await poll({ ack: Object.keys(rest.json.sets), maxEvents: 0 });
    const stream = dataOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: adminToken })).signalReceivers.find((r) => r.id === receiver.id)!.streams[0];
    expect(stream).toMatchObject({ delivery: "POLL", pending: 0 });
    expect(stream.lastError).toContain("invalid_audience: not ours");
    expect(stream.lastDeliveredAt).not.toBeNull();
  });

  test("a long poll waits for the next event and answers as soon as it is committed", async () => {
    const user = await signUp(server);
    const started = Date.now();
    const waiting = poll({});
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
    const answer = await waiting;
    expect(Date.now() - started).toBeLessThan(5000);
    const [payload] = await verified(answer.json.sets);
    expect(payload.sub_id.session.id).toBe(user.session.id);
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
    const answer = await poll({ returnImmediately: true });
    const [payload] = await verified(answer.json.sets);
    expect(payload.events["https://schemas.openid.net/secevent/ssf/event-type/verification"]).toEqual({ state: "s1" });
    expect(payload.sub_id).toEqual({ format: "opaque", id: streamId });
    await poll({ ack: Object.keys(answer.json.sets), maxEvents: 0 });
  });
});
