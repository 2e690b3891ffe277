import type { EntityManager } from "typeorm";
import type { EndReason } from "../../domain/end-reason";
import { isRole } from "../../domain/role";
import type { Revocation } from "./revocation-source";

interface LogRow {
  id: string;
  at: Date;
  user_id: string;
  session_id: string | null;
  reason: EndReason | null;
  ended_at: Date | null;
  ended_by: string | null;
  role: string | null;
}

const COLUMNS = "id, at, user_id, session_id, reason, ended_at, ended_by, role";

function toRevocation(r: LogRow): Revocation | null {
  const id = Number(r.id);
  if (r.session_id !== null) {
    return {
      id,
      at: r.at,
      kind: "ended",
      ended: { sessionId: r.session_id, userId: r.user_id, reason: r.reason ?? "EXPIRED", endedAt: r.ended_at ?? r.at, endedBy: r.ended_by },
    };
  }
  return isRole(r.role) ? { id, at: r.at, kind: "role", userId: r.user_id, role: r.role } : null;
}

function toRevocations(rows: LogRow[]): Revocation[] {
  return rows.map(toRevocation).filter((r): r is Revocation => r !== null);
}

/** Everything logged within the last `seconds`, in log order: what a starting instance must know. */
export async function readRecentRevocations(m: EntityManager, seconds: number): Promise<Revocation[]> {
  const rows: LogRow[] = await m.query(
    `SELECT ${COLUMNS} FROM revocation_log WHERE at > now() - make_interval(secs => $1) ORDER BY id`,
    [seconds],
  );
  return toRevocations(rows);
}

/** The newest entry's id (0 for an empty log): where an instance that starts with nothing to load begins. */
export async function lastRevocationId(m: EntityManager): Promise<number> {
  const [row]: { id: string | null }[] = await m.query(`SELECT max(id) AS id FROM revocation_log`);
  return Number(row?.id ?? 0);
}

/** Up to `limit` entries after `afterId` or among `missing` (ids skipped earlier), in log order. */
export async function readRevocationsAfter(m: EntityManager, afterId: number, missing: number[], limit: number): Promise<Revocation[]> {
  const rows: LogRow[] = await m.query(
    `SELECT ${COLUMNS} FROM revocation_log WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
    [afterId, missing, limit],
  );
  return toRevocations(rows);
}

/** Deletes up to `batch` entries older than `seconds`; returns how many. */
export async function pruneRevocationLog(m: EntityManager, seconds: number, batch: number): Promise<number> {
  const rows: unknown[] = await m.query(
    `WITH gone AS (
       DELETE FROM revocation_log WHERE id IN (
         SELECT id FROM revocation_log WHERE at < now() - make_interval(secs => $1) ORDER BY at LIMIT $2)
       RETURNING id)
     SELECT id FROM gone`,
    [seconds, batch],
  );
  return rows.length;
}
