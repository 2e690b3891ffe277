import { InvalidInput } from "../../src/domain/errors";
import { normalizeEmail } from "../../src/accounts/email-address";

const refused = (raw: string) => () => normalizeEmail(raw);

describe("email addresses", () => {
  test("one spelling: trimmed, lower-cased, NFKC-folded", () => {
    expect(normalizeEmail(" A@Example.COM ")).toBe("a@example.com");
    // Fullwidth letters are compatibility forms of ASCII ones: the same account, not a look-alike.
    expect(normalizeEmail("ａ@x.test")).toBe("a@x.test");
    expect(normalizeEmail("ＡＤＡ@ＥＸＡＭＰＬＥ.ＣＯＭ")).toBe("ada@example.com");
  });

  test.each([
    ["a zero-width space", "a\u200b@x.test"],
    ["a soft hyphen", "ad\u00ada@x.test"],
    ["a zero-width joiner", "a\u200dd@x.test"],
    ["a right-to-left override", "\u202eada@x.test"],
    ["a newline in a quoted local part", '"a\nb"@x.test'],
    ["a carriage return", '"a\rb"@x.test'],
    ["an escape character", '"a\u001b[31m"@x.test'],
    ["a NUL byte", "a\u0000@x.test"],
    ["a Hangul filler", "a\u3164@x.test"],
    ["a variation selector", "a\ufe0f@x.test"],
  ])("%s is refused", (_label, raw) => {
    expect(refused(raw)).toThrow(InvalidInput);
    expect(refused(raw)).toThrow(/control or invisible/);
  });

  test.each([
    ["a Cyrillic а with a Latin domain", "\u0430@x.test"],
    ["a Cyrillic о inside a Latin local part", "b\u043eb@x.test"],
    ["a Greek ο inside a Latin local part", "b\u03bfb@x.test"],
    ["a Cyrillic local part at a Latin domain", "иван@example.com"],
  ])("%s is refused", (_label, raw) => {
    expect(refused(raw)).toThrow(/different scripts/);
  });

  test("addresses in one script, or in scripts that belong together, are fine", () => {
    expect(normalizeEmail("Иван@Почта.рф")).toBe("иван@почта.рф");
    expect(normalizeEmail("ada.lovelace+tag@example.co.uk")).toBe("ada.lovelace+tag@example.co.uk");
    expect(normalizeEmail("山田たろう@例え.テスト")).toBe("山田たろう@例え.テスト");
  });

  test("the error names the email field", () => {
    expect(refused("not an email")).toThrow(expect.objectContaining({ field: "email" }));
  });
});
