import { randomInt, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { verify as verifyArgon2 } from "@node-rs/argon2";
import { print } from "graphql";
import type { Environment } from "../../src/config";
import { ChangePasswordDocument, LoginDocument, MeDocument, SignUpDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { accountsNamed, expectActive, expectCode } from "../helpers/checks";
import { codeOf, dataOf, request, requestRaw } from "../helpers/graphql-client";
import { startTestServer, tempDataDir, useTestServer, type TestServer, type TestServerOptions } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";
import { createLogger } from "../../src/logging/logger";
import * as password from "../../src/auth/password";

const WRONG_PASSWORD = "not the password";

/** A client address no other test uses; believed only by servers started with TRUST_PROXY=1. */
function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

function attemptLogin(server: TestServer, email: string, password: string, ip?: string) {
  return request(server.graphqlUrl, LoginDocument, { email, password }, { headers: ip ? { "x-forwarded-for": ip } : {} });
}

function attemptSignUp(server: TestServer, email: string, password: string) {
  return request(server.graphqlUrl, SignUpDocument, { email, password });
}

function changePassword(server: TestServer, token: string, currentPassword: string, ip: string) {
  return request(server.graphqlUrl, ChangePasswordDocument, { currentPassword, newPassword: "a brand new password" }, { token, headers: { "x-forwarded-for": ip } });
}

/** A server for one test's own use, stopped however the test ends. */
async function withServer<T>(env: Environment, options: TestServerOptions, use: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startTestServer(env, options);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe("credentials", () => {
  // Limits far above what these tests spend, so the enumeration timing never meets RATE_LIMITED.
  const server = useTestServer({ LOGIN_MAX_FAILURES_PER_EMAIL: "1000", LOGIN_MAX_FAILURES_PER_IP: "1000" });

  describe("no user enumeration", () => {
    test("[plan 43] wrong password and unknown email: byte-identical UNAUTHENTICATED errors, about the same latency", async () => {
      const known = uniqueEmail("known");
      await signUp(server, known);
      const wrong = await attemptLogin(server, known, WRONG_PASSWORD);
      const unknown = await attemptLogin(server, uniqueEmail("nobody"), WRONG_PASSWORD);
      expect(codeOf(wrong)).toBe("UNAUTHENTICATED");
      expect(unknown.status).toBe(wrong.status);
      expect(JSON.stringify(unknown.errors)).toBe(JSON.stringify(wrong.errors));
      expect(JSON.stringify(unknown.data)).toBe(JSON.stringify(wrong.data));

      // Interleaved, so load from other processes falls on both kinds alike.
      const knownTimes: number[] = [];
      const unknownTimes: number[] = [];
      for (let i = 0; i < 15; i++) {
        let start = performance.now();
        expectCode(await attemptLogin(server, known, WRONG_PASSWORD), "UNAUTHENTICATED");
        knownTimes.push(performance.now() - start);
        start = performance.now();
        expectCode(await attemptLogin(server, uniqueEmail("nobody"), WRONG_PASSWORD), "UNAUTHENTICATED");
        unknownTimes.push(performance.now() - start);
      }
      const [a, b] = [median(knownTimes), median(unknownTimes)];
      // One argon2id check (m=19456, t=2) costs ~10-15 ms on this class of machine, so a fixed
      // 25 ms allowance could never catch a skipped check; 40% of the larger median does.
      const allowedMs = Math.max(0.4 * Math.max(a, b), 3);
      const medians = `known ${a.toFixed(1)} ms, unknown ${b.toFixed(1)} ms, allowed difference ${allowedMs.toFixed(1)} ms`;
      expect({ medians, close: Math.abs(a - b) < allowedMs }).toEqual({ medians, close: true });
    });
  });

  describe("what is stored", () => {
    test("[plan 44] passwords: argon2id with m=19456, t=2, p=1, never the plaintext (also after changePassword)", async () => {
      const signed = await signUp(server);
      const user = await server.services.accounts.findUser(signed.user.id);
      expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
      expect(await verifyArgon2(user!.passwordHash, PASSWORD)).toBe(true);
      expect(JSON.stringify(user)).not.toContain(PASSWORD);

      const newPassword = "a brand new password";
      dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword }, { token: signed.accessToken }));
      const changed = await server.services.accounts.findUser(signed.user.id);
      expect(changed!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(changed!.passwordHash).not.toBe(user!.passwordHash);
      expect(await verifyArgon2(changed!.passwordHash, newPassword)).toBe(true);
      expect(JSON.stringify(changed)).not.toContain(newPassword);
    });
  });

  describe("logins racing a password change", () => {
    /** Logs in with `password` over and over until told to stop; the access tokens of those that got in. */
    function loginLoop(email: string, password: string, running: () => boolean, gotIn: () => void): Promise<string[]> {
      return (async () => {
        const tokens: string[] = [];
        while (running()) {
          const result = await attemptLogin(server, email, password);
          if (result.data?.login) {
            tokens.push(result.data.login.accessToken);
            gotIn();
          }
        }
        return tokens;
      })();
    }

    // docs/api.md: a password change ends, or refuses, any session whose login verified the old password.
    test("no session that logged in with the old password outlives changePassword", async () => {
      for (let round = 0; round < 4; round++) {
        const email = uniqueEmail("racing");
        const keeper = dataOf(await attemptSignUp(server, email, PASSWORD)).signUp;
        let running = true;
        let loggedIn = 0;
        const loops = [1, 2, 3].map(() => loginLoop(email, PASSWORD, () => running, () => loggedIn++));
        // The change starts once the loops are getting in, however slow the machine: with logins in flight.
        await until(() => loggedIn > 0, 20_000);
        dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: `${PASSWORD} changed` }, { token: keeper.accessToken }));
        running = false;
        const oldPasswordTokens = (await Promise.all(loops)).flat();
        expect(oldPasswordTokens.length).toBeGreaterThan(0);
        for (const token of oldPasswordTokens) expectCode(await request(server.graphqlUrl, MeDocument, {}, { token }), "UNAUTHENTICATED");
        await expectActive(server, keeper.accessToken);
      }
    });

    // The command line's password reset (user:create --password, provisionUser) moves auth_epoch as changePassword does.
    test("a login that verified the old password while an operator reset it opens no session", async () => {
      const email = uniqueEmail("reset");
      dataOf(await attemptSignUp(server, email, PASSWORD));
      const epoch = async () => ((await server.db.query(`SELECT auth_epoch FROM users WHERE email = $1`, [email])) as { auth_epoch: number }[])[0].auth_epoch;
      const before = await epoch();
      const verify = password.verifyPassword;
      // The reset lands after the login's password check and before its session is opened.
      const racing = jest.spyOn(password, "verifyPassword").mockImplementationOnce(async (hash, given) => {
        const valid = await verify(hash, given);
        await server.services.accounts.provision(email, { password: "a password set by the operator" });
        return valid;
      });
      try {
        expectCode(await attemptLogin(server, email, PASSWORD), "UNAUTHENTICATED");
      } finally {
        racing.mockRestore();
      }
      expect(await epoch()).toBe(before + 1);
      const [{ count }] = await server.db.query(`SELECT count(*)::int AS count FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.ended_at IS NULL`, [email]);
      expect(count).toBe(0);
      dataOf(await attemptLogin(server, email, "a password set by the operator"));
    });
  });

  describe("email normalisation and input checks", () => {
    test('[plan 46] " A@Example.COM " signs up as a@example.com; other casings log in and cannot sign up again', async () => {
      const local = `Mixed-${randomUUID()}`;
      const signed = dataOf(await attemptSignUp(server, `  ${local}@Example.COM `, PASSWORD)).signUp;
      const normalised = `${local.toLowerCase()}@example.com`;
      expect(signed.user.email).toBe(normalised);

      const other = dataOf(await attemptLogin(server, `${local.toUpperCase()}@EXAMPLE.com`, PASSWORD)).login;
      expect(other.user.id).toBe(signed.user.id);

      expectCode(await attemptSignUp(server, `${local.toUpperCase()}@example.com`, PASSWORD), "BAD_USER_INPUT");
      expectCode(await attemptSignUp(server, normalised, PASSWORD), "BAD_USER_INPUT");
      expect(await accountsNamed(server, normalised)).toBe(1);
    });

    test("[plan 46] look-alikes of an account are that account or refused, never a second account", async () => {
      const local = `ada${randomUUID().slice(0, 8)}`;
      const signed = dataOf(await attemptSignUp(server, `${local}@x.test`, PASSWORD)).signUp;
      const fullwidth = [...local].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("");
      // NFKC folds the fullwidth spelling into the same address: it logs in, and cannot sign up again.
      expect(dataOf(await attemptLogin(server, `${fullwidth}@x.test`, PASSWORD)).login.user.id).toBe(signed.user.id);
      const lookAlikes = [
        `${fullwidth}@x.test`,
        `${local}\u200b@x.test`,
        `${local.slice(0, 2)}\u00ad${local.slice(2)}@x.test`,
        `\u0430${local.slice(1)}@x.test`,
        `"${local}\n"@x.test`,
      ];
      for (const email of lookAlikes) {
        const result = await attemptSignUp(server, email, PASSWORD);
        expectCode(result, "BAD_USER_INPUT");
        expect(result.errors![0].extensions!.field).toBe("email");
      }
      const users = await server.services.accounts.searchUsers(local.slice(3), 10, 0);
      expect(users.map((u) => u.email)).toEqual([`${local}@x.test`]);
    });

    // Latin letters that look like others pass the single-script check; their UTS #39 skeleton does not.
    test("a look-alike of an account's address in Latin letters (ı ɑ ǀ ɪ for i a l I) cannot sign up; the address itself stays taken", async () => {
      const tail = randomUUID().slice(0, 8);
      const owner = dataOf(await attemptSignUp(server, `alice.${tail}@x.test`, PASSWORD)).signUp;
      const lookAlikes = [`alıce.${tail}@x.test`, `ɑlice.${tail}@x.test`, `aǀice.${tail}@x.test`, `alɪce.${tail}@x.test`, `ALICE.${tail}@X.TEST`.replace("I", "ɪ")];
      for (const email of lookAlikes) {
        const result = await attemptSignUp(server, email, PASSWORD);
        expect([email, codeOf(result), result.errors?.[0]?.extensions?.field]).toEqual([email, "BAD_USER_INPUT", "email"]);
        expect(result.errors![0].message).toBe("Email is already registered.");
      }
      expect((await server.services.accounts.searchUsers(`.${tail}@x.test`, 10, 0)).map((u) => u.id)).toEqual([owner.user.id]);
      // Nor the other way round: with a look-alike registered first, the plain spelling is refused.
      dataOf(await attemptSignUp(server, `bɑnk.${tail}@x.test`, PASSWORD));
      expectCode(await attemptSignUp(server, `bank.${tail}@x.test`, PASSWORD), "BAD_USER_INPUT");
      // Addresses that differ to the eye still sign up.
      dataOf(await attemptSignUp(server, `alicia.${tail}@x.test`, PASSWORD));
    });

    test("two look-alikes signing up at once: one account, the other refused", async () => {
      const tail = randomUUID().slice(0, 8);
      const results = await Promise.all([`lily.${tail}@x.test`, `ǀiǀy.${tail}@x.test`, `lıly.${tail}@x.test`].map((email) => attemptSignUp(server, email, PASSWORD)));
      expect(results.filter((r) => r.data?.signUp).length).toBe(1);
      expect(results.filter((r) => codeOf(r) === "BAD_USER_INPUT").length).toBe(2);
    });

    // The last column is what a later login with that email (and a valid-length password) gets.
    test.each([
      ["a password under 8 characters", uniqueEmail(), "7 chars", "UNAUTHENTICATED"],
      ["a password over 1024 characters", uniqueEmail(), "x".repeat(1025), "UNAUTHENTICATED"],
      ["an email that is not one", `not-an-email-${randomUUID()}`, PASSWORD, "BAD_USER_INPUT"],
      ["an email with two @", `a@b@${randomUUID()}.example.com`, PASSWORD, "BAD_USER_INPUT"],
      ["a blank email", "   ", PASSWORD, "BAD_USER_INPUT"],
    ])("[plan 46] signUp with %s: BAD_USER_INPUT and no user", async (_what, email, password, laterLogin) => {
      expectCode(await attemptSignUp(server, email, password), "BAD_USER_INPUT");
      if (email.trim()) expect(await server.services.accounts.searchUsers(email.trim().toLowerCase(), 10, 0)).toHaveLength(0);
      expectCode(await attemptLogin(server, email, password.length > 1024 ? PASSWORD : password), laterLogin);
    });

    test("[plan 44] the password bounds themselves are accepted: exactly 8 and exactly 1024 characters", async () => {
      await Promise.all(
        ["8 chars!", "y".repeat(1024)].map(async (password) => {
          const email = uniqueEmail();
          dataOf(await attemptSignUp(server, email, password));
          dataOf(await attemptLogin(server, email, password));
        }),
      );
    });
  });

});

describe("login rate limiting (3 per email, 5 per IP)", () => {
  const server = useTestServer({
    TRUST_PROXY: "1",
    LOGIN_MAX_FAILURES_PER_EMAIL: "3",
    LOGIN_MAX_FAILURES_PER_IP: "5",
    LOGIN_FAILURE_WINDOW_SECONDS: "600",
  });

  async function newAccount(): Promise<string> {
    const email = uniqueEmail("limited");
    await signUp(server, email);
    return email;
  }

  test("[plan 42] one email is locked after 3 failures from 3 different addresses, even with the right password", async () => {
    const email = await newAccount();
    for (let i = 0; i < 3; i++) expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "UNAUTHENTICATED");
    const locked = await attemptLogin(server, email, PASSWORD, uniqueIp());
    expectCode(locked, "RATE_LIMITED");
    expect(locked.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
    expect(locked.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(600);
    // While locked, guesses are refused before any password check.
    expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "RATE_LIMITED");
  });

  test("[plan 42] a burst of parallel guesses gets no more password checks than the limit", async () => {
    const email = await newAccount();
    const burst = await Promise.all(Array.from({ length: 20 }, () => attemptLogin(server, email, WRONG_PASSWORD, uniqueIp())));
    const codes = burst.map(codeOf);
    expect(codes.filter((code) => code === "UNAUTHENTICATED")).toHaveLength(3);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(17);
    expectCode(await attemptLogin(server, email, PASSWORD, uniqueIp()), "RATE_LIMITED");
  });

  test("[plan 42] one password tried against many accounts from one address: the per-address limit trips", async () => {
    const ip = uniqueIp();
    const [locked, other, third, fresh] = await Promise.all([newAccount(), newAccount(), newAccount(), newAccount()]);
    for (let i = 0; i < 3; i++) expectCode(await attemptLogin(server, locked, WRONG_PASSWORD, ip), "UNAUTHENTICATED");
    expectCode(await attemptLogin(server, locked, PASSWORD, ip), "RATE_LIMITED");

    expectCode(await attemptLogin(server, other, WRONG_PASSWORD, ip), "UNAUTHENTICATED"); // 4th from this IP
    dataOf(await attemptLogin(server, other, PASSWORD, ip));
    expectCode(await attemptLogin(server, third, WRONG_PASSWORD, ip), "UNAUTHENTICATED"); // 5th from this IP

    expectCode(await attemptLogin(server, fresh, PASSWORD, ip), "RATE_LIMITED");
    expectCode(await attemptLogin(server, uniqueEmail("nobody"), PASSWORD, ip), "RATE_LIMITED");
    dataOf(await attemptLogin(server, fresh, PASSWORD, uniqueIp()));
    // An account that has logged in from this network before is not locked out with it.
    dataOf(await attemptLogin(server, other, PASSWORD, ip));
  });

  test("correct passwords are never refused because of attempts in flight: one account, or many behind one IP", async () => {
    const email = await newAccount();
    const sameAccount = await Promise.all(Array.from({ length: 10 }, () => attemptLogin(server, email, PASSWORD, uniqueIp())));
    expect(sameAccount.map(codeOf)).toEqual(Array(10).fill(undefined));
    const ip = uniqueIp();
    const accounts = await Promise.all(Array.from({ length: 12 }, () => newAccount()));
    const behindOneIp = await Promise.all(accounts.map((account) => attemptLogin(server, account, PASSWORD, ip)));
    expect(behindOneIp.map(codeOf)).toEqual(Array(12).fill(undefined));
  });

  test("a named account under attack from elsewhere: its owner still logs in from a network they have used", async () => {
    const email = await newAccount();
    const home = uniqueIp();
    dataOf(await attemptLogin(server, email, PASSWORD, home));
    for (let i = 0; i < 3; i++) expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "UNAUTHENTICATED");
    expectCode(await attemptLogin(server, email, PASSWORD, uniqueIp()), "RATE_LIMITED");
    dataOf(await attemptLogin(server, email, PASSWORD, home));
  });

  test("a successful login resets the email's count", async () => {
    const email = await newAccount();
    for (let i = 0; i < 2; i++) expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "UNAUTHENTICATED");
    dataOf(await attemptLogin(server, email, PASSWORD, uniqueIp()));
    for (let i = 0; i < 2; i++) expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "UNAUTHENTICATED");
    dataOf(await attemptLogin(server, email, PASSWORD, uniqueIp()));
  });

  test("changePassword with a wrong current password counts toward the same limit", async () => {
    const email = await newAccount();
    const signed = dataOf(await attemptLogin(server, email, PASSWORD, uniqueIp())).login;
    for (let i = 0; i < 2; i++) {
      // BAD_USER_INPUT naming the field: the caller's token is fine (docs/api.md, Changes 1).
      const wrong = await changePassword(server, signed.accessToken, WRONG_PASSWORD, uniqueIp());
      expectCode(wrong, "BAD_USER_INPUT");
      expect(wrong.errors![0].extensions!.field).toBe("currentPassword");
    }
    expectCode(await attemptLogin(server, email, WRONG_PASSWORD, uniqueIp()), "UNAUTHENTICATED");
    expectCode(await changePassword(server, signed.accessToken, PASSWORD, uniqueIp()), "RATE_LIMITED");
    expectCode(await attemptLogin(server, email, PASSWORD, uniqueIp()), "RATE_LIMITED");
  });

  test("a new password equal to the current one is refused, ends nothing, and the check still counts", async () => {
    const email = await newAccount();
    const [signed, other] = await Promise.all([attemptLogin(server, email, PASSWORD, uniqueIp()), attemptLogin(server, email, PASSWORD, uniqueIp())]);
    const same = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: PASSWORD }, { token: dataOf(signed).login.accessToken, headers: { "x-forwarded-for": uniqueIp() } });
    expectCode(same, "BAD_USER_INPUT");
    expect(same.errors![0].extensions!.field).toBe("newPassword");
    await expectActive(server, dataOf(other).login.accessToken);
    // A wrong current password with the same new one: the current password is what is checked and counted.
    for (let i = 0; i < 3; i++) {
      const result = await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: WRONG_PASSWORD, newPassword: WRONG_PASSWORD }, { token: dataOf(signed).login.accessToken, headers: { "x-forwarded-for": uniqueIp() } });
      expect(result.errors![0].extensions!.field).toBe("currentPassword");
    }
    expectCode(await attemptLogin(server, email, PASSWORD, uniqueIp()), "RATE_LIMITED");
  });

  test("[plan 39] a document with two login fields counts no attempt", async () => {
    const email = await newAccount();
    const query = `mutation { a: login(email: "${email}", password: "${WRONG_PASSWORD}") { accessToken } b: login(email: "${email}", password: "${WRONG_PASSWORD}") { accessToken } }`;
    for (let i = 0; i < 3; i++) {
      const result = await requestRaw(server.graphqlUrl, { query }, { headers: { "x-forwarded-for": uniqueIp() } });
      expect(codeOf(result)).toBe("BAD_USER_INPUT");
    }
    dataOf(await attemptLogin(server, email, PASSWORD, uniqueIp()));
  });

  test("[plan 39] a JSON array of login attempts counts no attempt", async () => {
    const email = await newAccount();
    const attempt = { query: print(LoginDocument), variables: { email, password: WRONG_PASSWORD } };
    const result = await requestRaw(server.graphqlUrl, [attempt, attempt, attempt, attempt], { headers: { "x-forwarded-for": uniqueIp() } });
    expect(result.status).toBe(400);
    dataOf(await attemptLogin(server, email, PASSWORD, uniqueIp()));
  });
});

describe("login rate limiting: the lock lifts by itself (LOGIN_FAILURE_WINDOW_SECONDS=5)", () => {
  // The limiter counts in memory, with no row to move into the past: this test has to wait for
  // the window (5 s: three password checks must fit in it even on a loaded machine). Concurrent,
  // so that the wait runs alongside the other tests; hence its own
  // server, as jest starts concurrent tests before any beforeAll hook has run.
  test.concurrent("locked after 3 failures, open again once they leave the window", () =>
    withServer({ LOGIN_MAX_FAILURES_PER_EMAIL: "3", LOGIN_FAILURE_WINDOW_SECONDS: "5" }, {}, async (server) => {
      const email = uniqueEmail();
      await signUp(server, email);
      expectCode(await attemptLogin(server, email, WRONG_PASSWORD), "UNAUTHENTICATED");
      // The server recorded the first failure before it answered, so no later than this.
      const firstFailure = Date.now();
      for (let i = 0; i < 2; i++) expectCode(await attemptLogin(server, email, WRONG_PASSWORD), "UNAUTHENTICATED");
      const locked = await attemptLogin(server, email, PASSWORD);
      expectCode(locked, "RATE_LIMITED");
      expect(locked.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(5);

      await sleep(firstFailure + 5000 - Date.now() + 100);
      // The oldest failure has left the window: two remain, so one good login gets in.
      dataOf(await attemptLogin(server, email, PASSWORD));
    }),
  );
});

describe("sign-up limit (SIGNUP_MAX_PER_IP=3)", () => {
  const server = useTestServer({ TRUST_PROXY: "1", SIGNUP_MAX_PER_IP: "3", SIGNUP_WINDOW_SECONDS: "3600" });
  const signUpFrom = (ip: string, email = uniqueEmail("signup")) =>
    request(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD }, { headers: { "x-forwarded-for": ip } });

  test("each address (IPv6: each /64) gets so many sign-ups an hour, taken or not: no bulk probing for accounts", async () => {
    const ip = uniqueIp();
    const taken = uniqueEmail("taken");
    dataOf(await signUpFrom(ip, taken));
    expectCode(await signUpFrom(ip, taken), "BAD_USER_INPUT");
    dataOf(await signUpFrom(ip));
    const refused = await signUpFrom(ip);
    expectCode(refused, "RATE_LIMITED");
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(3500);
    expectCode(await signUpFrom(ip, taken), "RATE_LIMITED");
    dataOf(await signUpFrom(uniqueIp()));
    const network = `2001:db8:${randomInt(1, 65535).toString(16)}:1`;
    for (let i = 1; i <= 3; i++) dataOf(await signUpFrom(`${network}::${i}`));
    expectCode(await signUpFrom(`${network}:ffff::1`), "RATE_LIMITED");
    dataOf(await signUpFrom(`${network.replace(/:1$/, ":2")}::1`));
  });
});

describe("ADMIN_EMAIL / ADMIN_PASSWORD bootstrap", () => {
  const dataDir = tempDataDir();
  const adminEmail = uniqueEmail("admin");
  const env = { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: "bootstrap password" };

  test("creates an ADMIN; a restart with the same environment neither duplicates nor changes it", async () => {
    const { admin, before } = await withServer(env, { dataDir }, async (server) => {
      const admin = dataOf(await attemptLogin(server, adminEmail, env.ADMIN_PASSWORD)).login;
      expect(admin.user.role).toBe("ADMIN");
      // The administrator changes the bootstrap password, as they should.
      dataOf(await request(server.graphqlUrl, ChangePasswordDocument, { currentPassword: env.ADMIN_PASSWORD, newPassword: PASSWORD }, { token: admin.accessToken }));
      return { admin, before: await server.services.accounts.findUser(admin.user.id) };
    });

    await withServer(env, { dataDir }, async (server) => {
      expect(await accountsNamed(server, adminEmail)).toBe(1);
      expect(await server.services.accounts.findUser(admin.user.id)).toEqual(before);
      expectCode(await attemptLogin(server, adminEmail, env.ADMIN_PASSWORD), "UNAUTHENTICATED");
      expect(dataOf(await attemptLogin(server, adminEmail, PASSWORD)).login.user).toMatchObject({ id: admin.user.id, role: "ADMIN" });
    });
  });

  test("an ADMIN_EMAIL that a USER registered first is not promoted, and the warning names the safe command: a password reset with the promotion", async () => {
    const squatted = uniqueEmail("squatted");
    const lines: string[] = [];
    const logger = createLogger({ level: "info", format: "json" }, { write: (line: string) => void lines.push(line) });
    const stranger = await withServer({}, {}, async (server) => dataOf(await attemptSignUp(server, squatted, PASSWORD)).signUp);
    await withServer({ ADMIN_EMAIL: squatted, ADMIN_PASSWORD: "bootstrap password" }, { logger }, async (server) => {
      // The stranger's account stays a USER with the stranger's password: ADMIN_PASSWORD opens nothing.
      expect(dataOf(await attemptLogin(server, squatted, PASSWORD)).login.user.role).toBe("USER");
      expectCode(await attemptLogin(server, squatted, "bootstrap password"), "UNAUTHENTICATED");

      const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === "warn" && entry.email === squatted);
      expect(warning?.msg).toMatch(/ADMIN_EMAIL names an existing USER account, which is not promoted/);
      expect(warning?.command).toBe(`npm run user:create -- --email ${squatted} --password-stdin --role ADMIN`);
      // What that command does (scripts/create-user.ts runs provisionUser): the stranger is out
      // everywhere, their password opens nothing, and the operator's opens an ADMIN session.
      await server.services.accounts.provision(squatted, { password: "the operator's own password", role: "ADMIN" });
      expectCode(await request(server.graphqlUrl, MeDocument, {}, { token: stranger.accessToken }), "UNAUTHENTICATED");
      expectCode(await attemptLogin(server, squatted, PASSWORD), "UNAUTHENTICATED");
      expect(dataOf(await attemptLogin(server, squatted, "the operator's own password")).login.user.role).toBe("ADMIN");
    });
  });

  test("an ADMIN_EMAIL that only looks like a USER's address creates no account, and says why", async () => {
    const tail = randomUUID().slice(0, 8);
    const lines: string[] = [];
    const logger = createLogger({ level: "info", format: "json" }, { write: (line: string) => void lines.push(line) });
    await withServer({}, {}, async (server) => dataOf(await attemptSignUp(server, `ɑdmin.${tail}@x.test`, PASSWORD)));
    await withServer({ ADMIN_EMAIL: `admin.${tail}@x.test`, ADMIN_PASSWORD: "bootstrap password" }, { logger }, async (server) => {
      expectCode(await attemptLogin(server, `admin.${tail}@x.test`, "bootstrap password"), "UNAUTHENTICATED");
      expect(await accountsNamed(server, `admin.${tail}@x.test`)).toBe(0);
    });
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === "warn" && entry.email === `admin.${tail}@x.test`);
    expect(warning?.msg).toMatch(/looks the same as an existing account's address/);
  });
});
