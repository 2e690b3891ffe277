import { InvalidInput } from "../domain/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text form of a timestamptz, e.g. "2026-11-29 15:20:01.123456+00" or "…+05:30".
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;
// PostgreSQL refuses a UTC offset past 15:59 ("time zone displacement out of range").
const MAX_OFFSET_HOURS = 15;

/**
 * Whether every field of the time is in range. The shape alone lets through month 13, hour 24,
 * April 31st, year 0 or offset +99, which PostgreSQL refuses with an error that would read as a
 * bug of ours (a 500 and a stack in the log) rather than the client's tampered cursor.
 */
function isTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours] = match.slice(1, 8).map(Number);
  const offsetMinutes = Number(match[8] ?? 0);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const isDay = year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isDay && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= MAX_OFFSET_HOURS && offsetMinutes <= 59;
}

/** The refusal of a cursor this list did not hand out. */
export function notACursor(): InvalidInput {
  return new InvalidInput("after is not a cursor of this list.", "after");
}

/**
 * Where a page ends: the last entry's time as the database wrote it (microseconds kept) and id.
 * Opaque to clients, and stable while entries are added: the next page starts after that entry.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && isTimestamp(parsed[0]) && UUID.test(String(parsed[1]))) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw notACursor();
}
