import { isEmail } from "class-validator";
import { InvalidInput } from "../domain/errors";

const MAX_EMAIL_LENGTH = 254;

// Characters that show nothing, or something other than themselves: control and format characters
// (zero-width spaces and joiners, soft hyphen, bidi overrides, BOM), private-use and unassigned
// code points, variation selectors, and the blank-looking fillers that are letters to Unicode.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0]/u;

// The scripts a letter may belong to. Letters of one address must all share one, so that a
// Cyrillic "а" cannot stand in for a Latin "a" (Unicode TS #39's "single script"), except for the
// writing systems that mix scripts by nature.
const SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Hebrew", "Arabic", "Devanagari", "Bengali", "Tamil", "Thai", "Hangul", "Hiragana", "Katakana", "Han", "Bopomofo"]
  .map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, "u") }));
const MIXED_BY_NATURE = [new Set(["Han", "Hiragana", "Katakana"]), new Set(["Han", "Hangul"]), new Set(["Han", "Bopomofo"])];

function scriptOf(letter: string): string {
  return SCRIPTS.find(({ pattern }) => pattern.test(letter))?.name ?? `other:${letter}`;
}

function singleScript(address: string): boolean {
  const scripts = new Set([...address].filter((c) => /\p{L}/u.test(c)).map(scriptOf));
  return scripts.size <= 1 || MIXED_BY_NATURE.some((allowed) => [...scripts].every((s) => allowed.has(s)));
}

/**
 * The one spelling of an address, so that look-alikes are one account or none: NFKC folds
 * compatibility forms ("ａ" fullwidth is "a"), then trimmed and lower-cased. Invisible characters
 * and letters of several scripts (local part and domain together: "а@x.test" with a Cyrillic
 * "а") are refused rather than guessed at.
 */
export function normalizeEmail(raw: string): string {
  const email = raw.normalize("NFKC").trim().toLowerCase();
  if (INVISIBLE.test(email)) throw new InvalidInput("Email addresses may not contain control or invisible characters.", "email");
  if (email.length > MAX_EMAIL_LENGTH || !isEmail(email)) throw new InvalidInput("Invalid email address.", "email");
  if (!singleScript(email)) throw new InvalidInput("Email addresses may not mix letters of different scripts.", "email");
  return email;
}
