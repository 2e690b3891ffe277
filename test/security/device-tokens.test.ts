import { createHash, randomBytes, randomInt } from "node:crypto";
import { LoginDocument, RefreshSessionDocument, SignUpDocument } from "../../web/src/gql/graphql";
import { PASSWORD, uniqueEmail } from "../helpers/accounts";
import { expectCode } from "../helpers/checks";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { until } from "../helpers/time";

// OWASP's "device cookies" (issue 14, item 4; docs/api.md, Changes 9): a device that has logged
// in to an account before is judged by its own failures, not its network's.

const WRONG_PASSWORD = "not the password";

/** A client address no other test uses (believed with TRUST_PROXY=1). */
function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

// The default limits (5 failures per account, 50 per address, in 15 minutes), as shipped; the
// sweep every 200 ms, so an expired token's deletion is seen at once; Redis on the pass that has it.
const server = useTestServer({ TRUST_PROXY: "1", SESSION_SWEEP_INTERVAL_MS: "200", REDIS_URL: process.env.REDIS_URL });

function signUpFrom(ip: string, email = uniqueEmail("owner")) {
  return request(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD }, { headers: { "x-forwarded-for": ip } });
}

function loginFrom(ip: string, email: string, password: string, deviceToken?: string) {
  return request(server.graphqlUrl, LoginDocument, { email, password, deviceToken }, { headers: { "x-forwarded-for": ip } });
}

async function deviceTokenRows(userId: string): Promise<{ token_hash: string; expires_at: Date }[]> {
  return server.db.query(`SELECT * FROM device_tokens WHERE user_id = $1 ORDER BY created_at`, [userId]);
}

/** Guesses at the account from addresses of their own, until it is locked for every client without a device token. */
async function lockAccount(email: string): Promise<void> {
  for (let i = 0; i < 5; i++) expectCode(await loginFrom(uniqueIp(), email, WRONG_PASSWORD), "UNAUTHENTICATED");
  expectCode(await loginFrom(uniqueIp(), email, PASSWORD), "RATE_LIMITED");
}

test("50 failed logins from one office address against other accounts: the owner's device that logged in before gets in; without its token, or with another account's, a forged or an expired one, RATE_LIMITED", async () => {
  const [home, office] = [uniqueIp(), uniqueIp()];
  const email = uniqueEmail("owner");
  const laptop = dataOf(await signUpFrom(home, email)).signUp;
  const colleague = dataOf(await signUpFrom(home)).signUp;
  const retired = dataOf(await loginFrom(home, email, PASSWORD)).login.deviceToken;
  await server.db.query(`UPDATE device_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(retired)]);

  for (let round = 0; round < 5; round++) {
    const guesses = await Promise.all(Array.from({ length: 10 }, () => loginFrom(office, uniqueEmail("stranger"), WRONG_PASSWORD)));
    expect(guesses.map(codeOf)).toEqual(Array(10).fill("UNAUTHENTICATED"));
  }

  // The owner, logging in correctly for the first time from the office.
  const refused = await loginFrom(office, email, PASSWORD);
  expectCode(refused, "RATE_LIMITED");
  expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(800);
  for (const notTheirs of [colleague.deviceToken, randomBytes(32).toString("base64url"), laptop.deviceToken.slice(0, -1), "not a device token", retired]) {
    expectCode(await loginFrom(office, email, PASSWORD, notTheirs), "RATE_LIMITED");
  }

  const inside = dataOf(await loginFrom(office, email, PASSWORD, laptop.deviceToken)).login;
  expect(inside.user.id).toBe(laptop.user.id);
  expect(inside.session.ipAddress).toBe(office);
  // A new token for the new session, in place of the one presented.
  expect(inside.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(inside.deviceToken).not.toBe(laptop.deviceToken);
  // The colleague's token is the colleague's: it opened nothing, and still works for them.
  dataOf(await loginFrom(office, colleague.user.email, PASSWORD, colleague.deviceToken));
});

test("an account locked by guesses from elsewhere: its devices still get in, each with a token that refreshSession hands out again", async () => {
  const email = uniqueEmail("owner");
  const signed = dataOf(await signUpFrom(uniqueIp(), email)).signUp;
  const refreshed = dataOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: signed.refreshToken })).refreshSession;
  expect(refreshed.deviceToken).toBe(signed.deviceToken);

  await lockAccount(email);
  dataOf(await loginFrom(uniqueIp(), email, PASSWORD, refreshed.deviceToken));
});

test("the device's own wrong passwords lock that device token only: not the account, nor its other devices", async () => {
  const email = uniqueEmail("owner");
  const [ip, elsewhere] = [uniqueIp(), uniqueIp()];
  const laptop = dataOf(await signUpFrom(ip, email)).signUp.deviceToken;
  const phone = dataOf(await loginFrom(ip, email, PASSWORD)).login.deviceToken;

  for (let i = 0; i < 5; i++) expectCode(await loginFrom(ip, email, WRONG_PASSWORD, laptop), "UNAUTHENTICATED");
  const locked = await loginFrom(ip, email, PASSWORD, laptop);
  expectCode(locked, "RATE_LIMITED");
  expect(locked.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(800);
  // From anywhere: the lock is the token's, not the network's.
  expectCode(await loginFrom(elsewhere, email, PASSWORD, laptop), "RATE_LIMITED");

  // Clients without a token were not locked by the device's failures: one more wrong guess is still a guess.
  expectCode(await loginFrom(elsewhere, email, WRONG_PASSWORD), "UNAUTHENTICATED");
  dataOf(await loginFrom(elsewhere, email, PASSWORD, phone));
  dataOf(await loginFrom(uniqueIp(), email, PASSWORD));
});

test("a token that is far too long is refused as input, before any password check", async () => {
  const email = uniqueEmail("owner");
  dataOf(await signUpFrom(uniqueIp(), email));
  const ip = uniqueIp();
  for (let i = 0; i < 6; i++) expectCode(await loginFrom(ip, email, WRONG_PASSWORD, "x".repeat(513)), "BAD_USER_INPUT");
  dataOf(await loginFrom(ip, email, PASSWORD));
});

test("stored as SHA-256 only, one row per device (a login replaces the token it presented), deleted once expired and with the account", async () => {
  const signed = dataOf(await signUpFrom(uniqueIp())).signUp;
  const [row] = await deviceTokenRows(signed.user.id);
  expect(row.token_hash).toBe(sha256(signed.deviceToken));
  expect(JSON.stringify(await deviceTokenRows(signed.user.id))).not.toContain(signed.deviceToken);
  // Kept for 180 days.
  expect(Math.abs(row.expires_at.getTime() - (Date.now() + 180 * 86_400_000))).toBeLessThan(3_600_000);

  const again = dataOf(await loginFrom(uniqueIp(), signed.user.email, PASSWORD, signed.deviceToken)).login;
  expect((await deviceTokenRows(signed.user.id)).map((r) => r.token_hash)).toEqual([sha256(again.deviceToken)]);
  const phone = dataOf(await loginFrom(uniqueIp(), signed.user.email, PASSWORD)).login;
  expect(await deviceTokenRows(signed.user.id)).toHaveLength(2);

  await server.db.query(`UPDATE device_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(again.deviceToken)]);
  await until(async () => (await deviceTokenRows(signed.user.id)).length === 1);
  expect((await deviceTokenRows(signed.user.id)).map((r) => r.token_hash)).toEqual([sha256(phone.deviceToken)]);

  await server.db.query(`DELETE FROM users WHERE id = $1`, [signed.user.id]);
  expect(await deviceTokenRows(signed.user.id)).toHaveLength(0);
});
