import { randomUUID } from "node:crypto";
import { decodeCursor, encodeCursor } from "../../src/accounts/activity-cursor";
import { activityPage } from "../../src/accounts/activity-store";
import { InvalidInput } from "../../src/domain/errors";

const cursorOf = (at: unknown, id: unknown = randomUUID()) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

// The cursor is opaque to clients but in their hands: whatever they send back is input.
describe("activity cursors", () => {
  test("a cursor the list handed out reads back as it was written", () => {
    const id = randomUUID();
    for (const at of ["2026-11-29 15:20:01.123456+00", "2026-11-29 15:20:01+05:30", "2024-02-29 00:00:00-03"]) {
      expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
    }
  });

  test.each([
    ["month 13", "2026-13-01 00:00:00+00"],
    ["month 0", "2026-00-01 00:00:00+00"],
    ["day 0", "2026-01-00 00:00:00+00"],
    ["February 30th", "2024-02-30 00:00:00+00"],
    ["minute 60", "2026-01-01 00:60:00+00"],
    ["second 60", "2026-01-01 00:00:60+00"],
    ["zone +99", "2026-01-01 00:00:00+99"],
    ["zone minutes 60", "2026-01-01 00:00:00+05:60"],
    ["year 0", "0000-01-01 00:00:00+00"],
    ["a number", 1764000000000],
  ])("a time with %s is not a cursor of this list", (_label, at) => {
    expect(() => decodeCursor(cursorOf(at))).toThrow(InvalidInput);
  });

  test("what the database still refuses in a cursor is the client's input, not a failure", async () => {
    const refusing = (code: string) => ({ query: () => Promise.reject(Object.assign(new Error("date/time field value out of range"), { code })) });
    const after = { at: "2026-01-01 00:00:00+00", id: randomUUID() };
    await expect(activityPage(refusing("22008"), randomUUID(), { first: 10, after })).rejects.toThrow(InvalidInput);
    await expect(activityPage(refusing("22009"), randomUUID(), { first: 10, after })).rejects.toThrow(InvalidInput);
    // Without a cursor the same refusal is ours, and stays an unexpected error.
    await expect(activityPage(refusing("22008"), randomUUID(), { first: 10 })).rejects.not.toThrow(InvalidInput);
    // Nor is a database out of reach turned into bad input.
    await expect(activityPage(refusing("57P01"), randomUUID(), { first: 10, after })).rejects.not.toThrow(InvalidInput);
  });
});
