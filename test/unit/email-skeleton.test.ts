import { normalizeEmail } from "../../src/accounts/email-address";
import { emailSkeleton } from "../../src/accounts/email-skeleton";

const skeleton = (raw: string) => emailSkeleton(normalizeEmail(raw));

// UTS #39 skeletons, from Unicode's confusables.txt: addresses that look alike have one skeleton.
describe("email skeletons", () => {
  test.each([
    ["ı (dotless i) for i", "alıce@x.test"],
    ["ɑ (Latin alpha) for a", "ɑlice@x.test"],
    ["ǀ (dental click) for l", "aǀice@x.test"],
    ["ɪ (small capital I) for i", "alɪce@x.test"],
    ["several at once", "ɑǀıce@x.test"],
    ["1 for l", "a1ice@x.test"],
  ])("%s: the same skeleton as alice@x.test", (_label, lookAlike) => {
    expect(skeleton(lookAlike)).toBe(skeleton("alice@x.test"));
  });

  test("rn and m look alike; so do an accent and its combining form", () => {
    expect(skeleton("modern@x.test")).toBe(skeleton("rnodern@x.test"));
    expect(skeleton("café@x.test")).toBe(skeleton("cafe\u0301@x.test"));
  });

  test("addresses that differ to the eye keep different skeletons", () => {
    const plain = ["alice@x.test", "alicia@x.test", "alice@x.tests", "alice.b@x.test", "café@x.test", "cafe@x.test", "bob@x.test"];
    expect(new Set(plain.map(skeleton)).size).toBe(plain.length);
  });

  // It is compared, never shown or sent: the address itself stays as the user wrote it.
  test("a skeleton is for comparing, not reading: m is rn in it", () => {
    expect(skeleton("ada@example.com")).toBe("ada@exarnple.corn");
  });
});
