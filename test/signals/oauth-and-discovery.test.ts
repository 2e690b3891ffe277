import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { CreateSignalReceiverDocument, DeleteSignalReceiverDocument, SignalReceiversDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { startTestServer, useTestServer } from "../helpers/test-server";
import { POLL, receiverToken, registerReceiver, ssfCall, type Registered } from "../helpers/ssf";

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

describe("the transmitter's discovery, keys and OAuth", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });
  let adminToken: string;
  let receiver: Registered;

  beforeAll(async () => {
    adminToken = (await login(server, adminEmail)).accessToken;
    receiver = await registerReceiver(server, adminToken, "Gateway");
  });

  test("/.well-known/ssf-configuration describes SSF 1.0, and every endpoint it names exists", async () => {
    const { status, json } = await ssfCall(server, "GET", "/.well-known/ssf-configuration");
    expect(status).toBe(200);
    const issuer = `http://localhost:${server.port}`;
    expect(json).toMatchObject({
      spec_version: "1_0",
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      delivery_methods_supported: ["urn:ietf:rfc:8935", "urn:ietf:rfc:8936"],
      authorization_schemes: [{ spec_urn: "urn:ietf:rfc:6749" }],
      default_subjects: "ALL",
    });
    for (const name of ["configuration_endpoint", "status_endpoint", "add_subject_endpoint", "remove_subject_endpoint", "verification_endpoint"]) {
      expect(json[name]).toMatch(new RegExp(`^${issuer}/`));
      // Each answers 401 without a token: it exists, and it is guarded.
      const path = json[name].slice(issuer.length);
      const reads = name === "configuration_endpoint" || name === "status_endpoint";
      expect((await ssfCall(server, reads ? "GET" : "POST", path, reads ? {} : { body: {} })).status).toBe(401);
    }
  });

  test("the JWKS publishes the RS256 key (2048 bits) that signs events, with its kid; PUBLIC_URL is the issuer", async () => {
    const { json, headers } = await ssfCall(server, "GET", "/.well-known/jwks.json");
    expect(headers["content-type"]).toMatch(/json/);
    // This instance's key first (other instances on a shared database publish theirs too).
    const [key] = json.keys;
    expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: expect.any(String) });
    expect(key).not.toHaveProperty("d");
    expect(createPublicKey({ key, format: "jwk" }).asymmetricKeyDetails?.modulusLength).toBe(2048);

    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = await startTestServer({ PUBLIC_URL: "https://sessions.example.com", SIGNALS_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }) as string });
    try {
      const config = (await ssfCall(other, "GET", "/.well-known/ssf-configuration")).json;
      expect(config.issuer).toBe("https://sessions.example.com");
      expect(config.jwks_uri).toBe("https://sessions.example.com/.well-known/jwks.json");
      const published = (await ssfCall(other, "GET", "/.well-known/jwks.json")).json.keys;
      const given = createPublicKey(privateKey).export({ format: "jwk" });
      // The given key, and (the two servers share a database) the first one, still in use.
      expect(published.map((k: { n: string }) => k.n)).toEqual(expect.arrayContaining([given.n, key.n]));
      expect(published[0].n).toBe(given.n);
    } finally {
      await other.stop();
    }
  });

  test("client credentials: client_secret_basic and client_secret_post give a one-hour bearer token with the scopes asked", async () => {
    const byBasic = await ssfCall(server, "POST", "/oauth/token", { ...form({ grant_type: "client_credentials", scope: "ssf.read" }), headers: { ...form({}).headers, authorization: basic(receiver.clientId, receiver.clientSecret) } });
    expect(byBasic.status).toBe(200);
    expect(byBasic.json).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, scope: "ssf.read" });
    expect(byBasic.headers["cache-control"]).toBe("no-store");
    const byPost = await ssfCall(server, "POST", "/oauth/token", form({ grant_type: "client_credentials", client_id: receiver.clientId, client_secret: receiver.clientSecret }));
    expect(byPost.json.scope).toBe("ssf.manage ssf.read");
  });

  test("RFC 6749 errors: invalid_client 401, unsupported_grant_type, invalid_scope, invalid_request", async () => {
    const token = (fields: Record<string, string>, authorization?: string) =>
      ssfCall(server, "POST", "/oauth/token", { ...form(fields), headers: { ...form({}).headers, ...(authorization ? { authorization } : {}) } });
    const wrongSecret = await token({ grant_type: "client_credentials", client_id: receiver.clientId, client_secret: "wrong" });
    expect([wrongSecret.status, wrongSecret.json.error]).toEqual([401, "invalid_client"]);
    expect(wrongSecret.headers["www-authenticate"]).toMatch(/^Basic/);
    const unknown = await token({ grant_type: "client_credentials" }, basic("ssf-nobody", "x"));
    expect([unknown.status, unknown.json.error]).toEqual([401, "invalid_client"]);
    expect((await token({ grant_type: "client_credentials" })).json.error).toBe("invalid_client");
    const password = await token({ grant_type: "password", client_id: receiver.clientId, client_secret: receiver.clientSecret });
    expect([password.status, password.json.error]).toEqual([400, "unsupported_grant_type"]);
    const scope = await token({ grant_type: "client_credentials", client_id: receiver.clientId, client_secret: receiver.clientSecret, scope: "ssf.read admin" });
    expect([scope.status, scope.json.error]).toEqual([400, "invalid_scope"]);
    const both = await token({ grant_type: "client_credentials", client_id: receiver.clientId, client_secret: receiver.clientSecret }, basic(receiver.clientId, receiver.clientSecret));
    expect([both.status, both.json.error]).toEqual([400, "invalid_request"]);
    const json = await ssfCall(server, "POST", "/oauth/token", { body: { grant_type: "client_credentials" } });
    expect([json.status, json.json.error]).toEqual([400, "invalid_request"]);
  });

  test("SSF endpoints: 401 without a valid token, 403 without the scope; a receiver sees only its own streams", async () => {
    const readOnly = await receiverToken(server, receiver, "ssf.read");
    const create = { delivery: { method: POLL } };
    expect((await ssfCall(server, "POST", "/ssf/streams", { body: create })).status).toBe(401);
    const forged = await ssfCall(server, "POST", "/ssf/streams", { token: "not-a-token", body: create });
    expect(forged.status).toBe(401);
    expect(forged.headers["www-authenticate"]).toMatch(/invalid_token/);
    const refused = await ssfCall(server, "POST", "/ssf/streams", { token: readOnly, body: create });
    expect(refused.status).toBe(403);
    expect(refused.headers["www-authenticate"]).toMatch(/insufficient_scope/);
    expect((await ssfCall(server, "GET", "/ssf/streams", { token: readOnly })).status).toBe(200);

    const manage = await receiverToken(server, receiver);
    const mine = await ssfCall(server, "POST", "/ssf/streams", { token: manage, body: create });
    expect(mine.status).toBe(201);
    const stranger = await registerReceiver(server, adminToken, "Someone else");
    const theirs = await receiverToken(server, stranger);
    expect((await ssfCall(server, "GET", "/ssf/streams", { token: theirs })).json).toEqual([]);
    expect((await ssfCall(server, "GET", `/ssf/streams?stream_id=${mine.json.stream_id}`, { token: theirs })).status).toBe(404);
    expect((await ssfCall(server, "GET", `/ssf/status?stream_id=${mine.json.stream_id}`, { token: theirs })).status).toBe(404);
    expect((await ssfCall(server, "POST", "/ssf/status", { token: theirs, body: { stream_id: mine.json.stream_id, status: "disabled" } })).status).toBe(404);
    expect((await ssfCall(server, "POST", "/ssf/verify", { token: theirs, body: { stream_id: mine.json.stream_id } })).status).toBe(404);
    expect((await ssfCall(server, "POST", `/ssf/poll/${mine.json.stream_id}`, { token: theirs, body: { returnImmediately: true } })).status).toBe(404);
    expect((await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${mine.json.stream_id}`, { token: theirs })).status).toBe(404);
    expect((await ssfCall(server, "GET", `/ssf/streams?stream_id=${mine.json.stream_id}`, { token: manage })).status).toBe(200);
  });

  test("streams: create 201, read, update (PATCH), replace (PUT), delete 204; bad input is a 400", async () => {
    const token = await receiverToken(server, receiver);
    const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL }, events_requested: ["https://schemas.openid.net/secevent/caep/event-type/session-revoked", "urn:example:unknown"], description: "audit" } });
    expect(created.status).toBe(201);
    const id = created.json.stream_id;
    expect(created.json).toMatchObject({
      iss: `http://localhost:${server.port}`,
      aud: receiver.clientId,
      events_delivered: ["https://schemas.openid.net/secevent/caep/event-type/session-revoked"],
      delivery: { method: POLL, endpoint_url: `http://localhost:${server.port}/ssf/poll/${id}` },
      description: "audit",
    });
    const patched = await ssfCall(server, "PATCH", "/ssf/streams", { token, body: { stream_id: id, description: "audit trail" } });
    expect(patched.json).toMatchObject({ description: "audit trail", events_delivered: created.json.events_delivered });
    const replaced = await ssfCall(server, "PUT", "/ssf/streams", { token, body: { stream_id: id, delivery: { method: POLL } } });
    expect(replaced.status).toBe(200);
    expect(replaced.json).not.toHaveProperty("description");
    expect(replaced.json.events_delivered).toHaveLength(3);
    for (const body of [{ delivery: { method: "urn:example:smoke-signals" } }, { delivery: { method: POLL }, events_requested: "all" }, "not json", [1, 2]]) {
      expect((await ssfCall(server, "POST", "/ssf/streams", { token, body })).status).toBe(400);
    }
    expect((await ssfCall(server, "POST", "/ssf/status", { token, body: { stream_id: id, status: "asleep" } })).status).toBe(400);
    // Without `delivery`, a stream is polled (SSF 1.0 §8.1.1.1).
    const bare = await ssfCall(server, "POST", "/ssf/streams", { token, body: {} });
    expect([bare.status, bare.json.delivery.method]).toEqual([201, POLL]);
    await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${bare.json.stream_id}`, { token });
    // A receiver written against the RISC-era name gets the stream, under SSF 1.0's name.
    const legacy = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: "https://schemas.openid.net/secevent/risc/delivery-method/poll" } } });
    expect(legacy.json.delivery.method).toBe(POLL);
    await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${legacy.json.stream_id}`, { token });
    expect((await ssfCall(server, "GET", "/ssf/streams?stream_id=not-a-uuid", { token })).status).toBe(404);
    expect((await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${id}`, { token })).status).toBe(204);
    expect((await ssfCall(server, "GET", `/ssf/streams?stream_id=${id}`, { token })).status).toBe(404);
  });

  test("receivers are managed by administrators only; deleting one ends its tokens and streams at once", async () => {
    const user = await signUp(server);
    expect(codeOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: user.accessToken }))).toBe("FORBIDDEN");
    expect(codeOf(await request(server.graphqlUrl, CreateSignalReceiverDocument, { name: "mine" }, { token: user.accessToken }))).toBe("FORBIDDEN");
    expect(codeOf(await request(server.graphqlUrl, CreateSignalReceiverDocument, { name: "" }, { token: adminToken }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await request(server.graphqlUrl, DeleteSignalReceiverDocument, { id: "nope" }, { token: adminToken }))).toBe("BAD_USER_INPUT");

    const doomed = await registerReceiver(server, adminToken, "Doomed");
    const token = await receiverToken(server, doomed);
    expect((await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL } } })).status).toBe(201);
    const listed = dataOf(await request(server.graphqlUrl, SignalReceiversDocument, {}, { token: adminToken })).signalReceivers.find((r) => r.id === doomed.id)!;
    expect(listed).toMatchObject({ name: "Doomed", clientId: doomed.clientId, streams: [{ status: "ENABLED", delivery: "POLL", endpointUrl: null, pending: 0 }] });
    expect(JSON.stringify(listed)).not.toContain(doomed.clientSecret);
    expect(codeOf(await request(server.graphqlUrl, DeleteSignalReceiverDocument, { id: doomed.id }, { token: user.accessToken }))).toBe("FORBIDDEN");
    expect(dataOf(await request(server.graphqlUrl, DeleteSignalReceiverDocument, { id: doomed.id }, { token: adminToken })).deleteSignalReceiver).toBe(true);
    expect((await ssfCall(server, "GET", "/ssf/streams", { token })).status).toBe(401);
    expect(codeOf(await request(server.graphqlUrl, DeleteSignalReceiverDocument, { id: doomed.id }, { token: adminToken }))).toBe("NOT_FOUND");
    const again = await ssfCall(server, "POST", "/oauth/token", form({ grant_type: "client_credentials", client_id: doomed.clientId, client_secret: doomed.clientSecret }));
    expect(again.status).toBe(401);
  });

  test("a rotated-out key stays in the JWKS while events it signed wait to be acknowledged, then leaves", async () => {
    const kidsOf = async (at: typeof server) => ((await ssfCall(at, "GET", "/.well-known/jwks.json")).json.keys as { kid: string }[]).map((k) => k.kid);
    const old = await startTestServer({ PUBLIC_URL: "https://rotation.example.com" });
    const oldKid = (await kidsOf(old))[0];
    const token = await receiverToken(old, receiver);
    const stream = await ssfCall(old, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL } } });
    await ssfCall(old, "POST", "/ssf/verify", { token, body: { stream_id: stream.json.stream_id, state: "rotation" } });
    const handed = await ssfCall(old, "POST", `/ssf/poll/${stream.json.stream_id}`, { token, body: { maxEvents: 1000, returnImmediately: true } });
    expect(Object.keys(handed.json.sets).length).toBeGreaterThan(0);
    await old.stop();
    // The old instance is gone (rotated to a new key) and its key unused for two hours…
    await server.db.query(`UPDATE signal_keys SET last_used_at = now() - interval '2 hours' WHERE kid = $1`, [oldKid]);
    // …but a receiver may still verify what it polled and has not acknowledged.
    expect(await kidsOf(server)).toContain(oldKid);
    const acked = await ssfCall(server, "POST", `/ssf/poll/${stream.json.stream_id}`, { token, body: { ack: Object.keys(handed.json.sets), maxEvents: 0 } });
    expect(acked.status).toBe(200);
    const rest = await ssfCall(server, "POST", `/ssf/poll/${stream.json.stream_id}`, { token, body: { maxEvents: 1000, returnImmediately: true } });
    await ssfCall(server, "POST", `/ssf/poll/${stream.json.stream_id}`, { token, body: { ack: Object.keys(rest.json.sets), maxEvents: 0 } });
    await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${stream.json.stream_id}`, { token });
    expect(await kidsOf(server)).not.toContain(oldKid);
  });
});
