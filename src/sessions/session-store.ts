import type { EntityManager } from "typeorm";
import type { ActivityKind } from "../domain/activity-kind";
import type { EndReason } from "../domain/end-reason";
import { SIGNAL_LOOKBACK_DAYS } from "../domain/session-signal";
import type { Role } from "../domain/role";
import { SessionEntity } from "../db/entities/session.entity";
import type { Device } from "../domain/device";
import type { GeoLocation } from "./geo";
import type { SessionEnded } from "../domain/session-ended";
import type { SessionSignal } from "../domain/session-signal";
import type { ClientKind } from "../domain/client-kind";

/** What the database says about a session when a request presents one of its tokens. */
export interface ActiveSessionAuth {
  userId: string;
  role: Role;
}

/** A session as a list shows it: the row's display fields, its location already put together. */
export interface ListedSession {
  id: string;
  deviceType: string;
  os: string | null;
  browser: string;
  browserVersion: string | null;
  userAgent: string;
  ipAddress: string;
  location: { country: string | null; region: string | null; city: string | null; timezone: string | null } | null;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  signals: SessionSignal[];
  name: string | null;
  client: ClientKind;
}

export interface NewSession {
  userId: string;
  userAgent: string;
  ipAddress: string;
  device: Device;
  /** The name the user gave the device at login, if any. */
  name: string | null;
  location: GeoLocation | null;
  ttlSeconds: number;
}

/** Which open sessions a bulk ending applies to. */
export type SessionFilter =
  | { sessionId: string; userId?: string }
  | { userId: string; exceptSessionId?: string };

// Every time comparison uses the database clock, so instances with skewed clocks agree.
const IS_ACTIVE = "ended_at IS NULL AND expires_at > now()";

export async function insertSession(m: EntityManager, s: NewSession): Promise<SessionEntity> {
  // The signals are read in the same statement, from the user's earlier sessions (ended ones
  // too): the new row is not yet visible to its own subqueries.
  const rows: { id: string }[] = await m.query(
    `WITH earlier AS (
       SELECT device_type, browser, country FROM sessions
        WHERE user_id = $1 AND created_at > now() - make_interval(days => $13))
     INSERT INTO sessions (user_id, user_agent, device_type, os, browser, browser_version, ip_address,
       country, region, city, timezone, expires_at, name, client, signals)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(secs => $12), $14, $15,
       -- An account's first session has nothing to be compared with: no signal.
       CASE WHEN EXISTS (SELECT 1 FROM earlier) THEN array_remove(ARRAY[
         CASE WHEN NOT EXISTS (SELECT 1 FROM earlier WHERE device_type = $3 AND browser = $5) THEN 'NEW_DEVICE' END,
         CASE WHEN $8::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM earlier WHERE country = $8) THEN 'NEW_COUNTRY' END
       ], NULL) ELSE '{}'::text[] END)
     RETURNING id`,
    [s.userId, s.userAgent, s.device.deviceType, s.device.os, s.device.browser, s.device.browserVersion, s.ipAddress,
      s.location?.country ?? null, s.location?.region ?? null, s.location?.city ?? null, s.location?.timezone ?? null, s.ttlSeconds,
      SIGNAL_LOOKBACK_DAYS, s.name, s.device.client],
  );
  return m.findOneByOrFail(SessionEntity, { id: rows[0].id });
}

export async function findActiveForAuth(m: EntityManager, sessionId: string): Promise<ActiveSessionAuth | null> {
  const rows: { user_id: string; role: Role }[] = await m.query(
    `SELECT s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.ended_at IS NULL AND s.expires_at > now()`,
    [sessionId],
  );
  return rows[0] ? { userId: rows[0].user_id, role: rows[0].role } : null;
}

/** Marks these sessions active now, in one statement (see LastActiveWriter). */
export async function touchSessions(m: EntityManager, sessionIds: string[]): Promise<void> {
  await m.query(`UPDATE sessions SET last_active_at = now() WHERE id = ANY($1::uuid[]) AND ${IS_ACTIVE}`, [sessionIds]);
}

/** Slides the session's expiry after a rotation and marks it active now. */
export async function extendSession(m: EntityManager, sessionId: string, ttlSeconds: number): Promise<void> {
  await m.query(
    `UPDATE sessions SET expires_at = now() + make_interval(secs => $2), last_active_at = now() WHERE id = $1`,
    [sessionId, ttlSeconds],
  );
}

/**
 * A user's active sessions, most recently active first, as lists show them. Plain SQL into plain
 * objects: the list is the one read a page makes on every visit, and the ORM's hydration of
 * entities was most of its cost.
 */
export async function listActiveSessions(m: EntityManager, userId: string): Promise<ListedSession[]> {
  const rows: ListedRow[] = await m.query(
    `SELECT id, device_type, os, browser, browser_version, user_agent, ip_address, country, region, city, timezone,
            created_at, last_active_at, expires_at, signals, name, client
       FROM sessions WHERE user_id = $1 AND ${IS_ACTIVE}
      ORDER BY last_active_at DESC, created_at DESC`,
    [userId],
  );
  return rows.map(listedOf);
}

interface ListedRow {
  id: string;
  device_type: string;
  os: string | null;
  browser: string;
  browser_version: string | null;
  user_agent: string;
  ip_address: string;
  country: string | null;
  region: string | null;
  city: string | null;
  timezone: string | null;
  created_at: Date;
  last_active_at: Date;
  expires_at: Date;
  signals: SessionSignal[];
  name: string | null;
  client: ClientKind;
}

function listedOf(row: ListedRow): ListedSession {
  const { country, region, city, timezone } = row;
  const located = country !== null || region !== null || city !== null || timezone !== null;
  return {
    id: row.id,
    deviceType: row.device_type,
    os: row.os,
    browser: row.browser,
    browserVersion: row.browser_version,
    userAgent: row.user_agent,
    ipAddress: row.ip_address,
    location: located ? { country, region, city, timezone } : null,
    createdAt: row.created_at,
    lastActiveAt: row.last_active_at,
    expiresAt: row.expires_at,
    signals: row.signals,
    name: row.name,
    client: row.client,
  };
}

export function findSessionsOf(m: EntityManager, userId: string, sessionIds: string[]): Promise<SessionEntity[]> {
  return m.createQueryBuilder(SessionEntity, "s").where("s.userId = :userId AND s.id IN (:...sessionIds)", { userId, sessionIds }).getMany();
}

export function findChangedSince(m: EntityManager, userIds: string[], since: Date): Promise<SessionEntity[]> {
  return m
    .createQueryBuilder(SessionEntity, "s")
    .where("s.userId IN (:...userIds) AND (s.createdAt > :since OR s.endedAt > :since)", { userIds, since })
    .orderBy("s.createdAt")
    .getMany();
}

export async function renameActiveSession(m: EntityManager, sessionId: string, name: string): Promise<SessionEntity | null> {
  const rows: { id: string }[] = await m.query(`WITH named AS (UPDATE sessions SET name = $2 WHERE id = $1 AND ${IS_ACTIVE} RETURNING id) SELECT id FROM named`, [sessionId, name]);
  return rows[0] ? m.findOneBy(SessionEntity, { id: sessionId }) : null;
}

/** Whose session this is, ended or not; null when there is none. One column, not an entity: every terminate asks. */
export async function ownerOf(m: EntityManager, sessionId: string): Promise<string | null> {
  const rows: { user_id: string }[] = await m.query(`SELECT user_id FROM sessions WHERE id = $1`, [sessionId]);
  return rows[0]?.user_id ?? null;
}

export async function findSession(m: EntityManager, sessionId: string): Promise<SessionEntity | null> {
  return m.findOneBy(SessionEntity, { id: sessionId });
}

// TypeORM returns [rows, count] for a bare UPDATE ... RETURNING; inside a CTE it is a plain SELECT.

const ENDED_COLUMNS = "id, user_id, ended_at, end_reason, ended_by, ip_address, device_type, browser, country, region, city, timezone";

/**
 * Each ending goes into the account's activity trail in the same statement (so the same
 * transaction). An administrator did it when it is an administrator's logout or someone other
 * than the owner ended it; then they are the actor.
 */
const LOG_ENDINGS = `logged AS (
       INSERT INTO activity (user_id, kind, at, session_id, reason, by_administrator, actor_id,
                             ip_address, device_type, browser, country, region, city, timezone)
       SELECT user_id, 'SESSION_ENDED', ended_at, id, end_reason,
              end_reason = 'ADMIN_LOGOUT' OR coalesce(ended_by <> user_id, false),
              CASE WHEN end_reason = 'ADMIN_LOGOUT' OR coalesce(ended_by <> user_id, false) THEN ended_by END,
              ip_address, device_type, browser, country, region, city, timezone
         FROM ended)`;

/** Marks the matching active sessions ended and returns exactly those that this call ended. */
export async function endSessions(
  m: EntityManager,
  filter: SessionFilter,
  reason: EndReason,
  endedBy: string | null,
): Promise<SessionEnded[]> {
  const params: unknown[] = [reason, endedBy];
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace("?", `$${params.length}`));
  };
  if ("sessionId" in filter) add("id = ?", filter.sessionId);
  if (filter.userId !== undefined) add("user_id = ?", filter.userId);
  if ("exceptSessionId" in filter && filter.exceptSessionId !== undefined) add("id <> ?", filter.exceptSessionId);
  const rows: { id: string; user_id: string; ended_at: Date }[] = await m.query(
    `WITH ended AS (
       UPDATE sessions SET ended_at = now(), end_reason = $1, ended_by = $2
        WHERE ${[...conditions, IS_ACTIVE].join(" AND ")}
        RETURNING ${ENDED_COLUMNS}),
     ${LOG_ENDINGS}
     SELECT id, user_id, ended_at FROM ended`,
    params,
  );
  return rows.map((r) => ({ sessionId: r.id, userId: r.user_id, reason, endedAt: r.ended_at, endedBy }));
}

/**
 * An entry in the account's activity trail for an act of (or on) a session: its device, address
 * and place are the session's, and so are its signals when the act is the one that opened it.
 */
export async function recordSessionActivity(m: EntityManager, kind: ActivityKind, sessionId: string, byAdministrator = false, actorId: string | null = null): Promise<void> {
  await m.query(
    `INSERT INTO activity (user_id, kind, session_id, by_administrator, actor_id, ip_address, device_type, browser, country, region, city, timezone, signals)
     SELECT user_id, $2, id, $3, $4, ip_address, device_type, browser, country, region, city, timezone,
            CASE WHEN $2 IN ('SIGNED_UP', 'LOGGED_IN') THEN signals ELSE '{}' END
       FROM sessions WHERE id = $1`,
    [sessionId, kind, byAdministrator, actorId],
  );
}

/** Deletes up to `batch` activity entries older than the retention, in no particular order (activity_by_time is BRIN); returns how many. */
export async function purgeActivityBefore(m: EntityManager, retentionDays: number, batch: number): Promise<number> {
  const rows: unknown[] = await m.query(
    `WITH gone AS (
       DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE at < now() - make_interval(days => $1) LIMIT $2)
       RETURNING id)
     SELECT id FROM gone`,
    [retentionDays, batch],
  );
  return rows.length;
}

/** Logins of the user that have not opened their session yet will not (see users.auth_epoch). */
export async function bumpAuthEpoch(m: EntityManager, userId: string): Promise<void> {
  await m.query(`UPDATE users SET auth_epoch = auth_epoch + 1 WHERE id = $1`, [userId]);
}

/**
 * Ends up to `batch` sessions that reached expiresAt, soonest-expired first (sessions_open_by_expiry).
 * SKIP LOCKED lets instances sweeping at once take different rows; the UPDATE's own check means
 * each session is ended once.
 */
export async function endExpiredSessions(m: EntityManager, batch: number): Promise<SessionEnded[]> {
  const rows: { id: string; user_id: string; ended_at: Date }[] = await m.query(
    `WITH ended AS (
       UPDATE sessions SET ended_at = now(), end_reason = 'EXPIRED'
        WHERE id IN (
          SELECT id FROM sessions WHERE ended_at IS NULL AND expires_at <= now()
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          AND ended_at IS NULL
        RETURNING ${ENDED_COLUMNS}),
     ${LOG_ENDINGS}
     SELECT id, user_id, ended_at FROM ended`,
    [batch],
  );
  return rows.map((r) => ({ sessionId: r.id, userId: r.user_id, reason: "EXPIRED", endedAt: r.ended_at, endedBy: null }));
}

/**
 * Deletes up to `batch` sessions that ended longer ago than the retention, oldest first, with
 * their refresh tokens (by the foreign key); returns how many.
 */
export async function purgeEndedBefore(m: EntityManager, retentionDays: number, batch: number): Promise<number> {
  const rows: unknown[] = await m.query(
    `WITH gone AS (
       DELETE FROM sessions WHERE id IN (
         SELECT id FROM sessions WHERE ended_at < now() - make_interval(days => $1) ORDER BY ended_at LIMIT $2)
       RETURNING id)
     SELECT id FROM gone`,
    [retentionDays, batch],
  );
  return rows.length;
}

/** Of the given sessions, those no longer active, with how they ended (expired ones not yet swept count as EXPIRED). */
export async function findInactive(m: EntityManager, sessionIds: string[]): Promise<SessionEnded[]> {
  if (sessionIds.length === 0) return [];
  const rows: { id: string; user_id: string; end_reason: EndReason | null; ended_at: Date | null; expires_at: Date; ended_by: string | null }[] =
    await m.query(
      `SELECT id, user_id, end_reason, ended_at, expires_at, ended_by FROM sessions
        WHERE id = ANY($1::uuid[]) AND NOT (${IS_ACTIVE})`,
      [sessionIds],
    );
  return rows.map((r) => ({
    sessionId: r.id,
    userId: r.user_id,
    reason: r.end_reason ?? "EXPIRED",
    endedAt: r.ended_at ?? r.expires_at,
    endedBy: r.ended_by,
  }));
}
