import { generateKeyPairSync, randomBytes, sign as signWithKey, type KeyObject } from "node:crypto";
import { print } from "graphql";
import { LogoutDocument, MeDocument, RefreshSessionDocument, UsersDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail, type Signed } from "../helpers/accounts";
import { codeOf, dataOf, request, requestRaw, sendHttp } from "../helpers/graphql-client";
import { captureLog } from "../helpers/log-capture";
import { accessKeyOf } from "../../src/auth/signing-keys";
import { AUDIENCE, claimsOf, encodeJwt, encodePart, forge, hs256, ISSUER, nowSeconds, TEST_SECRET, type Json } from "../helpers/forged-tokens";
import { useTestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";

// The key the server derives from its secret, and the id its tokens name it by.
const SECRET = TEST_SECRET;
const OUR_KEY = accessKeyOf(SECRET);
const OUR_HEADER = { alg: "HS256", typ: "at+jwt", kid: OUR_KEY.kid };
const OUR_KEY_BYTES = OUR_KEY.key.export();

const decodePart = (part: string): Json => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

function decodeJwt(token: string): { header: Json; payload: Json; signature: string } {
  const [header, payload, signature] = token.split(".");
  return { header: decodePart(header), payload: decodePart(payload), signature };
}

const rs256 = (key: KeyObject) => (input: string) => signWithKey("sha256", Buffer.from(input), key);
const es256 = (key: KeyObject) => (input: string) => signWithKey("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });

function without(claims: Json, ...names: string[]): Json {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));
}

/** The attacker's own key pairs, made once: an RSA key takes a noticeable fraction of a second. */
let attackerKeys: { rsa: { privateKey: KeyObject; publicKey: KeyObject }; ec: { privateKey: KeyObject } } | undefined;
function attacker() {
  attackerKeys ??= { rsa: generateKeyPairSync("rsa", { modulusLength: 2048 }), ec: generateKeyPairSync("ec", { namedCurve: "P-256" }) };
  return attackerKeys;
}

describe("access tokens", () => {
  const log = captureLog();
  const server = useTestServer({}, { logger: log.logger });
  let alice: Signed;
  let bob: Signed;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([signUp(server), signUp(server)]);
  });

  /** `me` with exactly this Authorization header value (or none). */
  async function me(authorization?: string) {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    return requestRaw<{ me: { id: string; role: string } }>(server.graphqlUrl, { query: print(MeDocument) }, { headers });
  }

  async function expectRefused(authorization?: string): Promise<void> {
    const result = await me(authorization);
    expect(result.status).toBeLessThan(500);
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    expect(result.data ?? null).toBeNull();
  }

  const bearer = (token: string) => `Bearer ${token}`;

  /** What a request could have written about a user: their sessions' activity times and their activity entries. */
  async function footprintOf(signed: Signed): Promise<unknown> {
    const sessions = await server.db.query("SELECT id, last_active_at FROM sessions WHERE user_id = $1 ORDER BY id", [signed.user.id]);
    const [{ entries }] = await server.db.query("SELECT count(*)::int AS entries FROM activity WHERE user_id = $1", [signed.user.id]);
    return { sessions, entries };
  }

  /**
   * Waits until whatever requests so far marked as activity is in the database. `lastActiveAt` is
   * written apart from the request, all marked sessions in one statement a second: so a session no
   * request has used yet is used now, and once its own time is written, so is everything marked before it.
   */
  async function markedActivityWritten(): Promise<void> {
    const marker = await signUp(server);
    const lastActiveOf = async () => (await server.db.query("SELECT last_active_at::text AS at FROM sessions WHERE id = $1", [marker.session.id]))[0].at as string;
    const before = await lastActiveOf();
    dataOf(await me(bearer(marker.accessToken)));
    await until(async () => (await lastActiveOf()) !== before);
  }

  describe("the tokens the server issues", () => {
    test("HS256, typ at+jwt, carrying sub, sid and role; accessTokenExpiresAt is now + ACCESS_TOKEN_TTL_SECONDS", async () => {
      const before = Date.now();
      const signed = await signUp(server);
      const after = Date.now();
      const { header, payload } = decodeJwt(signed.accessToken);
      // The key is named by a fingerprint: nothing of the secret, and the same on every instance.
      expect(header).toEqual({ alg: "HS256", typ: "at+jwt", kid: OUR_KEY.kid });
      expect(SECRET).not.toContain(header.kid as string);
      expect(payload).toMatchObject({ sub: signed.user.id, sid: signed.session.id, role: "USER", iss: ISSUER, aud: AUDIENCE });
      const expiresAt = Date.parse(signed.accessTokenExpiresAt);
      expect(expiresAt).toBe((payload.exp as number) * 1000);
      // iat is whole seconds, so the expiry can be up to a second before now + TTL.
      expect(expiresAt).toBeGreaterThan(before + 3600_000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(after + 3600_000);
    });

    test("control: a token built by these helpers with the right key and claims is accepted", async () => {
      // Proves that every refusal below comes from the one thing each test changes.
      const result = await me(bearer(forge(alice)));
      expect(dataOf(result).me.id).toBe(alice.user.id);
    });
  });

  test("[plan 1] alg none with real sub/sid and an empty signature: refused, nothing written, a security event logged", async () => {
    // An account of its own, whose session no request has used: a session used in the last
    // LAST_ACTIVE_RESOLUTION_SECONDS (as alice's) is not marked again, so a refused request that
    // marked it would write nothing either.
    const victim = await signUp(server);
    const unsigned = `${encodePart({ alg: "none", typ: "at+jwt" })}.${encodePart(claimsOf(victim))}.`;
    const rowsBefore = await footprintOf(victim);
    const logged = log.entries.length;
    await expectRefused(bearer(unsigned));
    await expectRefused(bearer(unsigned.slice(0, -1)));
    await expectRefused(bearer(`${encodePart({ alg: "none" })}.${encodePart(claimsOf(victim))}.`));
    await markedActivityWritten();
    expect(await footprintOf(victim)).toEqual(rowsBefore);
    const events = log.entries.slice(logged).filter((e) => e.event === "access_token_refused");
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ level: "warn", ip: "127.0.0.1", requestId: expect.any(String) });
    // The token itself is never logged.
    expect(log.lines.join("")).not.toContain(encodePart(claimsOf(victim)).slice(0, 40));
  });

  test("[plan 2] signed with a wrong HMAC key, or with the attacker's own RS256/ES256 key", async () => {
    const { rsa, ec } = attacker();
    await expectRefused(bearer(encodeJwt(OUR_HEADER, claimsOf(alice), hs256("a-different-secret-that-is-32-bytes-long"))));
    await expectRefused(bearer(encodeJwt(OUR_HEADER, claimsOf(alice), hs256(""))));
    await expectRefused(bearer(encodeJwt({ alg: "RS256", typ: "at+jwt", kid: OUR_KEY.kid }, claimsOf(alice), rs256(rsa.privateKey))));
    await expectRefused(bearer(encodeJwt({ alg: "ES256", typ: "at+jwt", kid: OUR_KEY.kid }, claimsOf(alice), es256(ec.privateKey))));
    // Key confusion: the attacker's RSA public key (all they could know of an RS256 key) as an HMAC secret.
    const publicPem = rsa.publicKey.export({ format: "pem", type: "spki" });
    await expectRefused(bearer(encodeJwt(OUR_HEADER, claimsOf(alice), hs256(publicPem))));
  });

  test("[plan 2] jwk / jku / x5u headers and kids with paths or SQL: header key material is ignored", async () => {
    const { rsa } = attacker();
    const jwk = rsa.publicKey.export({ format: "jwk" });
    const attackerSecret = "attacker-controlled-secret-32-bytes!!";
    const tokens = [
      encodeJwt({ alg: "RS256", typ: "at+jwt", jwk }, claimsOf(alice), rs256(rsa.privateKey)),
      encodeJwt({ alg: "RS256", typ: "at+jwt", jku: "https://attacker.example/jwks.json", kid: "1" }, claimsOf(alice), rs256(rsa.privateKey)),
      encodeJwt({ alg: "RS256", typ: "at+jwt", x5u: "https://attacker.example/cert.pem" }, claimsOf(alice), rs256(rsa.privateKey)),
      encodeJwt({ alg: "HS256", typ: "at+jwt", kid: "../../../../dev/null" }, claimsOf(alice), hs256("")),
      encodeJwt({ alg: "HS256", typ: "at+jwt", kid: "' UNION SELECT 'key' --" }, claimsOf(alice), hs256("key")),
      encodeJwt({ alg: "HS256", typ: "at+jwt", jwk: { kty: "oct", k: Buffer.from(attackerSecret).toString("base64url") } }, claimsOf(alice), hs256(attackerSecret)),
      // Our own kid beside the attacker's key material: the kid picks our key, whose check fails.
      encodeJwt({ ...OUR_HEADER, jwk: { kty: "oct", k: Buffer.from(attackerSecret).toString("base64url") } }, claimsOf(alice), hs256(attackerSecret)),
    ];
    for (const token of tokens) await expectRefused(bearer(token));
  });

  test("[plan 3] wrong iss, wrong aud, or neither", async () => {
    await expectRefused(bearer(forge(alice, { iss: "https://attacker.example" })));
    await expectRefused(bearer(forge(alice, { aud: "other-service" })));
    await expectRefused(bearer(encodeJwt(OUR_HEADER, without(claimsOf(alice), "iss", "aud"), hs256(OUR_KEY_BYTES))));
  });

  test("[plan 4] expired, not yet valid (nbf), or issued in the future (iat)", async () => {
    const tolerance = 5; // CLOCK_TOLERANCE_SECONDS' default
    await expectRefused(bearer(forge(alice, { iat: nowSeconds() - 3600, exp: nowSeconds() - (tolerance + 1) })));
    await expectRefused(bearer(forge(alice, { nbf: nowSeconds() + 600 })));
    await expectRefused(bearer(forge(alice, { iat: nowSeconds() + 86400, exp: nowSeconds() + 90000 })));
    await expectRefused(bearer(encodeJwt(OUR_HEADER, without(claimsOf(alice), "iat"), hs256(OUR_KEY_BYTES))));
  });

  test("[plan 5] tampered payload keeping the old signature: another user's sub/sid, or role ADMIN", async () => {
    const [header, , signature] = alice.accessToken.split(".");
    const original = decodeJwt(alice.accessToken).payload;
    const tampered = (changes: Json) => `${header}.${encodePart({ ...original, ...changes })}.${signature}`;
    // Both sub and sid are bob's: without a signature check this would pass the session look-up.
    const result = await me(bearer(tampered({ sub: bob.user.id, sid: bob.session.id })));
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    expect(result.text).not.toContain(bob.user.email);
    await expectRefused(bearer(tampered({ role: "ADMIN" })));
    // The untouched token still works, so the refusals are about the changes.
    expect(dataOf(await me(bearer(alice.accessToken))).me.id).toBe(alice.user.id);
  });

  test("[plan 6] missing, empty, truncated, junk or non-base64 tokens, or a valid one under another scheme", async () => {
    await expectRefused();
    await expectRefused("Bearer");
    await expectRefused("Bearer ");
    await expectRefused("Bearer a.b");
    await expectRefused(bearer(randomBytes(6144).toString("base64url")));
    await expectRefused(bearer(`${"x".repeat(4000)}.${"y".repeat(4000)}.${"z".repeat(190)}`));
    await expectRefused(`Bearer ${"%$#!".repeat(2048)}`);
    await expectRefused(`Bearer ${alice.accessToken.replace(/\./g, "\u00e9")}`);
    await expectRefused(`Basic ${alice.accessToken}`);
    await expectRefused(`Basic ${Buffer.from(`x:${alice.accessToken}`).toString("base64")}`);
    await expectRefused(alice.accessToken);
  });

  test("[plan 6] two Authorization headers, or the token anywhere but the header, is no token", async () => {
    const query = print(MeDocument);
    const twice = (first: string, second: string) => requestRaw(server.graphqlUrl, { query }, { headers: { authorization: [first, second] } });
    for (const result of [await twice(bearer(alice.accessToken), bearer(bob.accessToken)), await twice(bearer(alice.accessToken), "Bearer junk")]) {
      expect(result.status).toBeLessThan(500);
      expect(codeOf(result)).toBe("UNAUTHENTICATED");
    }
    const elsewhere = [
      await requestRaw(`${server.graphqlUrl}?access_token=${alice.accessToken}`, { query }),
      await requestRaw(server.graphqlUrl, { query, access_token: alice.accessToken, authorization: bearer(alice.accessToken) }),
      await requestRaw(server.graphqlUrl, { query, extensions: { authorization: bearer(alice.accessToken), headers: { authorization: bearer(alice.accessToken) } } }),
      await sendHttp(`${server.graphqlUrl}?query=${encodeURIComponent(query)}&access_token=${alice.accessToken}`, { headers: { "apollo-require-preflight": "1" } }),
    ];
    for (const result of elsewhere) {
      expect(result.status).toBeLessThan(500);
      expect(codeOf(result)).toBe("UNAUTHENTICATED");
    }
  });

  test("[plan 7] typ other than at+jwt, with the right key, iss and aud", async () => {
    await expectRefused(bearer(forge(alice, {}, { alg: "HS256", typ: "JWT", kid: OUR_KEY.kid })));
    await expectRefused(bearer(encodeJwt({ alg: "HS256", kid: OUR_KEY.kid }, claimsOf(alice), hs256(OUR_KEY_BYTES))));
    await expectRefused(bearer(forge(alice, {}, { alg: "HS256", typ: "refresh+jwt", kid: OUR_KEY.kid })));
  });

  test("[plan 7] a JWT another service signs with the same JWT_SECRET is not ours", async () => {
    // Our access key is derived from the secret under a label (src/auth/signing-keys.ts): a token
    // signed with the bare secret, as another service sharing it would, does not verify.
    await expectRefused(bearer(encodeJwt({ alg: "HS256", typ: "JWT" }, claimsOf(alice), hs256(SECRET))));
    await expectRefused(bearer(encodeJwt({ ...OUR_HEADER }, claimsOf(alice), hs256(SECRET))));
  });

  test("[plan 7] the opaque refresh token sent as Bearer", async () => {
    const signed = await signUp(server);
    await expectRefused(bearer(signed.refreshToken));
  });

  test("[plan 7] an access token given to refreshSession", async () => {
    const signed = await signUp(server);
    const result = await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: signed.accessToken });
    expect(result.status).toBeLessThan(500);
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    // It did not spend or end anything: the real pair still works.
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: signed.accessToken }));
    dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: signed.refreshToken }));
  });

  test("without sub, sid or role", async () => {
    for (const claim of ["sub", "sid", "role"]) {
      await expectRefused(bearer(encodeJwt(OUR_HEADER, without(claimsOf(alice), claim), hs256(OUR_KEY_BYTES))));
    }
  });

  describe("a token is only as good as its session", () => {
    /** The same signature bytes spelled differently: other unused low bits in the last character, or padding. */
    function reencodings(token: string): string[] {
      const [header, payload, signature] = token.split(".");
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const last = alphabet.indexOf(signature[signature.length - 1]);
      // 32 bytes = 256 bits in 43 characters: the last one carries 2 bits that decoding drops.
      const variants = [1, 2, 3].map((bits) => `${signature.slice(0, -1)}${alphabet[(last & ~3) | ((last + bits) & 3)]}`);
      variants.push(`${signature}=`);
      for (const variant of variants) expect(Buffer.from(variant, "base64url")).toEqual(Buffer.from(signature, "base64url"));
      return variants.map((variant) => `${header}.${payload}.${variant}`);
    }

    test("[plan 10] after logout the very next request with the token is refused, in any spelling", async () => {
      const signed = await signUp(server);
      dataOf(await me(bearer(signed.accessToken)));
      expect(dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: signed.accessToken })).logout).toBe(true);
      await expectRefused(bearer(signed.accessToken));
      for (const variant of reencodings(signed.accessToken)) await expectRefused(bearer(variant));
    });

    test("[plan 24] the role comes from the database: a correctly signed role ADMIN claim does not make a USER an admin", async () => {
      const forged = forge(alice, { role: "ADMIN" });
      expect(dataOf(await me(bearer(forged))).me.role).toBe("USER");
      const result = await request(server.graphqlUrl, UsersDocument, {}, { token: forged });
      expect(codeOf(result)).toBe("FORBIDDEN");
      expect(result.data ?? null).toBeNull();
    });

    test("[plan 24] the owner comes from the database: a correctly signed token naming another user with this session is refused", async () => {
      const bob = await signUp(server);
      dataOf(await me(bearer(alice.accessToken)));
      await expectRefused(bearer(forge(alice, { sub: bob.user.id })));
      // A session read before, and one never seen: both are held against the database's owner.
      const fresh = await login(server, alice.user.email);
      await expectRefused(bearer(forge(fresh, { sub: bob.user.id })));
    });

    test("[plan 24] an admin demoted in the database loses admin on the very next request", async () => {
      const email = uniqueEmail("admin");
      await server.services.accounts.provision(email, { password: PASSWORD, role: "ADMIN" });
      const admin = await login(server, email);
      expect(decodeJwt(admin.accessToken).payload.role).toBe("ADMIN");
      dataOf(await request(server.graphqlUrl, UsersDocument, { emailContains: email }, { token: admin.accessToken }));

      await server.services.accounts.provision(email, { role: "USER" });
      const result = await request(server.graphqlUrl, UsersDocument, { emailContains: email }, { token: admin.accessToken });
      expect(codeOf(result)).toBe("FORBIDDEN");
      expect(dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: admin.accessToken })).me.role).toBe("USER");
    });
  });
});

describe("access token lifetime (ACCESS_TOKEN_TTL_SECONDS=1)", () => {
  // No leeway: the test watches the very second the token expires.
  const server = useTestServer({ ACCESS_TOKEN_TTL_SECONDS: "1", CLOCK_TOLERANCE_SECONDS: "0" });

  /**
   * A new session whose one-second access token has most of its second left. Its expiry is the
   * JWT's own `exp`, checked against the wall clock, so there is no row to backdate: we wait.
   */
  async function signUpWithTimeToSpare(): Promise<Signed> {
    const signed = await signUp(server);
    const left = Date.parse(signed.accessTokenExpiresAt) - Date.now();
    if (left >= 300) return signed;
    // Issued near the end of a wall-clock second: log in again just after it.
    await sleep(left + 20);
    return login(server, signed.user.email);
  }

  test("refused once expired while the session is still active; a refresh gives a working one", async () => {
    const signed = await signUpWithTimeToSpare();
    expect(Date.parse(signed.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(1000);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: signed.accessToken }));

    await sleep(Date.parse(signed.accessTokenExpiresAt) - Date.now() + 50);
    const expired = await request(server.graphqlUrl, MeDocument, {}, { token: signed.accessToken });
    expect(codeOf(expired)).toBe("UNAUTHENTICATED");

    const [session]: { endedAt: Date | null; expiresAt: Date }[] = await server.db.query(`SELECT ended_at AS "endedAt", expires_at AS "expiresAt" FROM sessions WHERE id = $1`, [signed.session.id]);
    expect(session.endedAt).toBeNull();
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now());

    // Still early in the second that began when the old token expired, so the new one has time to be used.
    const refreshed = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: signed.refreshToken })).refreshSession;
    expect(refreshed.session.id).toBe(signed.session.id);
    expect(dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: refreshed.accessToken })).me.id).toBe(signed.user.id);
  });
});

describe("signing key rotation (JWT_SECRET, JWT_PREVIOUS_SECRETS)", () => {
  const OLD = "the-secret-being-rotated-out-at-least-32-bytes";
  const NEW = "the-secret-rotated-in-that-is-at-least-32-bytes";
  const before = useTestServer({ JWT_SECRET: OLD });
  const during = useTestServer({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: `${OLD}, another-retired-secret-of-at-least-32-bytes` });
  const after = useTestServer({ JWT_SECRET: NEW });

  test("tokens signed with the previous secret keep working while it is listed; new ones are signed with the new one", async () => {
    const signed = await signUp(before);
    expect(decodeJwt(signed.accessToken).header.kid).toBe(accessKeyOf(OLD).kid);
    dataOf(await request(during.graphqlUrl, MeDocument, {}, { token: signed.accessToken }));
    const refreshed = dataOf(await request(during.graphqlUrl, RefreshSessionDocument, { refreshToken: signed.refreshToken })).refreshSession;
    expect(decodeJwt(refreshed.accessToken).header.kid).toBe(accessKeyOf(NEW).kid);
    // Once the old secret is dropped, its tokens are refused; the new ones work everywhere it is current.
    expect(codeOf(await request(after.graphqlUrl, MeDocument, {}, { token: signed.accessToken }))).toBe("UNAUTHENTICATED");
    dataOf(await request(after.graphqlUrl, MeDocument, {}, { token: refreshed.accessToken }));
  });

  test("a token must name a key of ours: signed with the right key but naming another kid, or none, it is refused", async () => {
    const signed = await signUp(during);
    const rightKey = hs256(accessKeyOf(NEW).key.export());
    const control = encodeJwt({ alg: "HS256", typ: "at+jwt", kid: accessKeyOf(NEW).kid }, claimsOf(signed), rightKey);
    dataOf(await request(during.graphqlUrl, MeDocument, {}, { token: control }));
    for (const header of [{ alg: "HS256", typ: "at+jwt" }, { alg: "HS256", typ: "at+jwt", kid: "unknown" }, { alg: "HS256", typ: "at+jwt", kid: accessKeyOf(OLD).kid }]) {
      const token = encodeJwt(header, claimsOf(signed), rightKey);
      expect(codeOf(await request(during.graphqlUrl, MeDocument, {}, { token }))).toBe("UNAUTHENTICATED");
    }
  });
});

