import { AccessTokens } from "../../src/auth/access-token";
import { accessKeyOf } from "../../src/auth/signing-keys";
import { encodeJwt, hs256 } from "../helpers/forged-tokens";

const SECRET = "unit-secret-that-is-at-least-32-bytes-long!";

function tokensAt(clock: { ms: number }, toleranceSeconds = 5) {
  return new AccessTokens(accessKeyOf(SECRET), [], "iss", "aud", 60, { now: () => clock.ms, toleranceSeconds });
}

// A verified token is remembered so its signature is checked once; its times must still be checked on every use.
describe("AccessTokens: a token verified once", () => {
  test("is refused once it expires, though it was accepted (and remembered) before", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const tokens = tokensAt(clock);
    const { token } = tokens.sign({ userId: "u", sessionId: "s", role: "USER" });
    expect(tokens.verify(token)).toEqual({ userId: "u", sessionId: "s", role: "USER", issuedAt: clock.ms / 1000 });
    clock.ms += 64_000;
    expect(tokens.verify(token)).not.toBeNull();
    clock.ms += 1_000;
    expect(tokens.verify(token)).toBeNull();
  });

  test("is refused when the shared clock moves back before its iat (beyond the tolerance)", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const tokens = tokensAt(clock);
    const { token } = tokens.sign({ userId: "u", sessionId: "s", role: "USER" });
    expect(tokens.verify(token)).not.toBeNull();
    clock.ms -= 6_000;
    expect(tokens.verify(token)).toBeNull();
  });

  test("an altered copy is not the remembered one: its signature is checked and it is refused", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const tokens = tokensAt(clock);
    const { token } = tokens.sign({ userId: "u", sessionId: "s", role: "USER" });
    expect(tokens.verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, role: "ADMIN" })).toString("base64url"), signature].join(".");
    expect(tokens.verify(forged)).toBeNull();
  });
});

// The memory of endings is kept as long as a token this deployment issues can live (issue 14).
describe("AccessTokens: a token living longer than this deployment issues", () => {
  const TTL = 60;
  const TOLERANCE = 5;
  const key = accessKeyOf(SECRET);
  const signed = (payload: Record<string, unknown>) =>
    encodeJwt({ alg: "HS256", typ: "at+jwt", kid: key.kid }, { sub: "u", sid: "s", role: "USER", iss: "iss", aud: "aud", ...payload }, hs256(key.key.export()));

  test("is refused beyond TTL plus the tolerance, and accepted up to it", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const tokens = tokensAt(clock, TOLERANCE);
    const iat = clock.ms / 1000;
    expect(tokens.verify(signed({ iat, exp: iat + TTL + TOLERANCE }))).not.toBeNull();
    expect(tokens.verify(signed({ iat, exp: iat + TTL + TOLERANCE + 1 }))).toBeNull();
    // An hour-long token of an instance with ACCESS_TOKEN_TTL_SECONDS=3600, however fresh.
    expect(tokens.verify(signed({ iat, exp: iat + 3600 }))).toBeNull();
    // Half-way through a lifetime of ours.
    expect(tokens.verify(signed({ iat: iat - 30, exp: iat + 30 }))).not.toBeNull();
  });

  test("a token without iat is refused, whatever its exp", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const tokens = tokensAt(clock, TOLERANCE);
    expect(tokens.verify(signed({ exp: clock.ms / 1000 + 30 }))).toBeNull();
  });

  test("a server restarted with a lower TTL refuses the tokens it issued before", () => {
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const before = new AccessTokens(key, [], "iss", "aud", 3600, { now: () => clock.ms, toleranceSeconds: TOLERANCE });
    const { token } = before.sign({ userId: "u", sessionId: "s", role: "USER" });
    expect(before.verify(token)).not.toBeNull();
    clock.ms += 5000;
    expect(tokensAt(clock, TOLERANCE).verify(token)).toBeNull();
  });
});
