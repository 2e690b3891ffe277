import { createHash, createSecretKey, randomBytes, randomUUID } from "node:crypto";
import { deviceTokenOf, hashDeviceToken, looksLikeDeviceToken } from "../../src/auth/device-token";
import { loadSigningKeys } from "../../src/auth/signing-keys";

describe("device tokens", () => {
  const key = createSecretKey(randomBytes(32));

  test("one per session, the same every time it is asked for (refreshSession hands it out again)", () => {
    const session = randomUUID();
    expect(deviceTokenOf(key, session)).toBe(deviceTokenOf(key, session));
    expect(deviceTokenOf(key, randomUUID())).not.toBe(deviceTokenOf(key, session));
  });

  test("256 bits no one can derive without the key, although session ids are not secret", () => {
    const session = randomUUID();
    const token = deviceTokenOf(key, session);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(deviceTokenOf(createSecretKey(randomBytes(32)), session)).not.toBe(token);
    expect(token).not.toBe(createHash("sha256").update(session).digest("base64url"));
  });

  test("the key is the secret's own, apart from the access-token and refresh-chain keys", () => {
    const keys = loadSigningKeys("a secret that is at least 32 bytes long!!", [], "/nonexistent");
    const raw = keys.deviceTokens.export();
    expect(raw).toHaveLength(32);
    expect(raw.equals(keys.access.key.export())).toBe(false);
    expect(raw.equals(keys.refreshChain[0].export())).toBe(false);
    expect(loadSigningKeys("another secret that is at least 32 bytes", [], "/nonexistent").deviceTokens.export().equals(raw)).toBe(false);
  });

  test("only a SHA-256 of it is stored", () => {
    const token = deviceTokenOf(key, randomUUID());
    expect(hashDeviceToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashDeviceToken(token)).not.toContain(token);
  });

  test.each([
    { what: "one of ours", text: deviceTokenOf(createSecretKey(randomBytes(32)), "s"), shaped: true },
    { what: "empty", text: "", shaped: false },
    { what: "too short", text: "a".repeat(42), shaped: false },
    { what: "too long", text: "a".repeat(44), shaped: false },
    { what: "not base64url", text: `${"a".repeat(42)}+`, shaped: false },
  ])("$what: shaped like a device token $shaped (anything else costs no query)", ({ text, shaped }) => {
    expect(looksLikeDeviceToken(text)).toBe(shaped);
  });
});
