import type { Queryable } from "../db/queryable";
import type { ActivityKind } from "../domain/activity-kind";
import type { ClientInfo } from "../domain/caller";
import type { EndReason } from "../domain/end-reason";
import type { SessionSignal } from "../domain/session-signal";
import { parseDevice, truncateUserAgent } from "../sessions/device";
import { locate } from "../sessions/geo";
import { notACursor } from "./activity-cursor";

export interface ActivityRow {
  id: string;
  kind: ActivityKind;
  at: Date;
  /** `at` with the database's full precision, for the cursor. */
  atText: string;
  sessionId: string | null;
  reason: EndReason | null;
  byAdministrator: boolean;
  actorId: string | null;
  ipAddress: string | null;
  deviceType: string | null;
  browser: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  timezone: string | null;
  /** For the entry of a login or sign-up: why its session looked unfamiliar. */
  signals: SessionSignal[];
}

const COLUMNS = `id, kind, at, at::text AS at_text, session_id, reason, by_administrator, actor_id, ip_address,
  device_type, browser, country, region, city, timezone, signals`;

const CLIENT_COLUMNS = "ip_address, device_type, browser, country, region, city, timezone";

/** The request's address, device and place, in CLIENT_COLUMNS' order. */
function clientValues(client: ClientInfo): (string | null)[] {
  const device = parseDevice(truncateUserAgent(client.userAgent));
  const place = locate(client.ipAddress);
  return [client.ipAddress, device.deviceType, device.browser, place?.country ?? null, place?.region ?? null, place?.city ?? null, place?.timezone ?? null];
}

/** An act without a session of its own (a failed check, a refusal): described from the request. */
export async function recordFromClient(m: Queryable, userId: string, kind: ActivityKind, client: ClientInfo, sessionId: string | null = null): Promise<void> {
  await m.query(
    `INSERT INTO activity (user_id, kind, session_id, ${CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [userId, kind, sessionId, ...clientValues(client)],
  );
}

/**
 * A login's refusal (a wrong password, a rate limit) in the account's trail; for an email
 * without an account, the same statement, writing nothing. Both answers then wait for the same
 * work (the request described, one statement's round trip), so a login's latency does not tell
 * whether the email has an account: an entry written only for accounts would have added a write
 * and its commit to their failures alone. The entry's commit does not wait for the disk either
 * (synchronous_commit off, for this statement's own transaction): a crash of the database may
 * lose the last fraction of a second of these entries, never a session or anything a client was
 * told succeeded.
 */
export async function recordLoginRefusal(m: Queryable, kind: "LOGIN_FAILED" | "LOGIN_RATE_LIMITED", userId: string | null, client: ClientInfo): Promise<void> {
  await m.query(
    `INSERT INTO activity (user_id, kind, ${CLIENT_COLUMNS})
     SELECT $1::uuid, $2, $3, $4, $5, $6, $7, $8, $9
      WHERE $1::uuid IS NOT NULL AND set_config('synchronous_commit', 'off', true) = 'off'`,
    [userId, kind, ...clientValues(client)],
  );
}

/** An administrator's (or an operator's) act on the account, such as a role change. */
export async function recordByAdministrator(m: Queryable, userId: string, kind: ActivityKind, actorId: string | null): Promise<void> {
  await m.query(`INSERT INTO activity (user_id, kind, by_administrator, actor_id) VALUES ($1, $2, true, $3)`, [userId, kind, actorId]);
}

export interface PageRequest {
  first: number;
  /** The last entry of the previous page: (time as the database wrote it, id). */
  after?: { at: string; id: string };
  kinds?: ActivityKind[];
}

// PostgreSQL's refusals of a time or a uuid it was handed (invalid_datetime_format,
// datetime_field_overflow, invalid_time_zone_displacement_value, invalid_text_representation).
const REFUSED_VALUE = new Set(["22007", "22008", "22009", "22P02"]);

/** Newest first, keyset by (at, id): stable while entries are added, one index range scan per page. */
export async function activityPage(m: Queryable, userId: string, page: PageRequest): Promise<{ rows: ActivityRow[]; hasNextPage: boolean }> {
  const params: unknown[] = [userId, page.first + 1];
  const conditions = ["user_id = $1"];
  if (page.after) {
    params.push(page.after.at, page.after.id);
    conditions.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  if (page.kinds?.length) {
    params.push(page.kinds);
    conditions.push(`kind = ANY($${params.length}::text[])`);
  }
  const raw: Record<string, unknown>[] = await m.query(
    `SELECT ${COLUMNS} FROM activity WHERE ${conditions.join(" AND ")} ORDER BY at DESC, id DESC LIMIT $2`,
    params,
  ).catch((error: { code?: string }) => {
    // decodeCursor checks every field, so this is a second line: a value the database still
    // refuses came from the client's cursor, and is the client's mistake, not a bug of ours.
    throw page.after && REFUSED_VALUE.has(String(error?.code)) ? notACursor() : error;
  });
  const rows = raw.slice(0, page.first).map((r) => ({
    id: r.id as string,
    kind: r.kind as ActivityKind,
    at: r.at as Date,
    atText: r.at_text as string,
    sessionId: r.session_id as string | null,
    reason: r.reason as EndReason | null,
    byAdministrator: r.by_administrator as boolean,
    actorId: r.actor_id as string | null,
    ipAddress: r.ip_address as string | null,
    deviceType: r.device_type as string | null,
    browser: r.browser as string | null,
    country: r.country as string | null,
    region: r.region as string | null,
    city: r.city as string | null,
    timezone: r.timezone as string | null,
    signals: r.signals as SessionSignal[],
  }));
  return { rows, hasNextPage: raw.length > page.first };
}
