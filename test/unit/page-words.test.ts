import { deviceOf, eventNameOf, lastActive, placeOf, timeAgo, timeAhead } from "../../web/src/describe";

// The Sessions page's words for what the server sends (web/src/describe.ts).
describe("the page's words", () => {
  const now = Date.parse("2026-12-04T12:00:00Z");
  const inMs = (ms: number) => new Date(now + ms).toISOString();

  test("places in words: the city and the country's name, not codes", () => {
    expect(placeOf({ country: "GB", region: "ENG", city: "St Albans" })).toBe("St Albans, United Kingdom");
    expect(placeOf({ country: "DE", region: null, city: null })).toBe("Germany");
    expect(placeOf({ country: null, region: null, city: null })).toBe("Unknown");
    expect(placeOf(null)).toBe("Unknown");
  });

  test("one way of saying expiry: hours up to two days, then days; never 'tomorrow'", () => {
    expect(timeAhead(inMs(24 * 3_600_000), now)).toBe("in 24 hours");
    expect(timeAhead(inMs(6 * 86_400_000), now)).toBe("in 6 days");
    expect(timeAhead(inMs(30 * 60_000), now)).toBe("in 30 minutes");
    expect(timeAhead(inMs(-1), now)).toBe("now");
  });

  test("last active: 'Active now' for the last minute, then how long ago", () => {
    expect(lastActive(inMs(-20_000), now)).toBe("Active now");
    expect(lastActive(inMs(-5 * 60_000), now)).toBe("5 minutes ago");
  });

  test("a time past: 'just now' for the last minute, even a little ahead of a page's clock; then how long ago", () => {
    expect(timeAgo(inMs(-20_000), now)).toBe("just now");
    expect(timeAgo(inMs(2_000), now)).toBe("just now");
    expect(timeAgo(inMs(-3 * 3_600_000), now)).toBe("3 hours ago");
  });

  test("a Shared Signals event type by the last part of its URI", () => {
    expect(eventNameOf("https://schemas.openid.net/secevent/caep/event-type/session-revoked")).toBe("session-revoked");
    expect(eventNameOf("urn:example:odd")).toBe("urn:example:odd");
  });

  test("a device the user named goes by its name", () => {
    expect(deviceOf({ browser: "Chrome", deviceType: "Windows", name: null })).toBe("Chrome on Windows");
    expect(deviceOf({ browser: "Acme", deviceType: "iOS", name: "Alice's iPhone" })).toBe("Alice's iPhone");
  });
});
