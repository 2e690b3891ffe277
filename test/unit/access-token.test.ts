import { AccessTokens } from "../../src/auth/access-token";
import { accessKeyOf } from "../../src/auth/signing-keys";

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
    expect(tokens.verify(token)).toEqual({ userId: "u", sessionId: "s", role: "USER" });
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
