import type { Queryable } from "../db/queryable";
import type { EventKind, OutboxEvent } from "./security-events";

/** How long an instance holds a push stream it is delivering; renewed with each delivery, so a killed instance frees it by time. */
const LEASE_SECONDS = 15;

/** A push stream an instance has claimed. */
export interface ClaimedStream {
  id: string;
  issuer: string;
  status: "enabled" | "paused" | "disabled";
  endpointUrl: string;
  authorizationHeader: string | null;
  clientId: string;
}

/** A waiting event with its delivery attempts so far. */
export interface QueuedEvent extends OutboxEvent {
  id: string;
  attempts: number;
}

function toEvent(r: any): QueuedEvent {
  return {
    id: r.id,
    jti: r.jti,
    txn: r.txn,
    kind: r.event_type as EventKind,
    userId: r.user_id,
    sessionId: r.session_id,
    streamId: r.stream_id,
    facts: r.facts,
    createdAt: r.created_at,
    attempts: r.attempts,
  };
}

/**
 * The statements of delivery over the outbox (see migrations/1765900800000-signals.ts). A paused
 * stream holds its CAEP events but still gets its own SSF events (stream-updated, verification),
 * so a receiver hears that it was paused.
 */
export class Outbox {
  constructor(private readonly db: Queryable) {}

  /**
   * Up to `limit` push streams with something due that no other instance holds: claimed with
   * `FOR UPDATE SKIP LOCKED`, so instances share the streams and each is delivered by one at a
   * time, in order.
   */
  async claimPushStreams(limit: number): Promise<ClaimedStream[]> {
    const rows = await this.db.query(
      // A SELECT around the UPDATE, so every driver answers with the rows (TypeORM gives [rows, count] for a bare UPDATE).
      `WITH claimed AS (
       UPDATE signal_streams s SET leased_until = now() + make_interval(secs => $2)
        WHERE s.id IN (
          SELECT st.id FROM signal_streams st
           WHERE st.delivery = 'push' AND st.leased_until < now() AND st.next_attempt_at <= now()
             AND EXISTS (SELECT 1 FROM signal_outbox o WHERE o.stream_id = st.id
                          AND (st.status = 'enabled' OR o.event_type IN ('verification', 'stream-updated')))
           ORDER BY st.next_attempt_at LIMIT $1
           FOR UPDATE SKIP LOCKED)
       RETURNING s.id, s.issuer, s.status, s.endpoint_url, s.authorization_header,
                 (SELECT client_id FROM signal_receivers r WHERE r.id = s.receiver_id) AS client_id)
       SELECT * FROM claimed`,
      [limit, LEASE_SECONDS],
    );
    return rows.map((r: any) => ({ id: r.id, issuer: r.issuer, status: r.status, endpointUrl: r.endpoint_url, authorizationHeader: r.authorization_header, clientId: r.client_id }));
  }

  /** The stream's deliverable events: its own SSF events first (a receiver hears "enabled" before what was held), then oldest first. */
  async due(streamId: string, limit: number): Promise<QueuedEvent[]> {
    const rows = await this.db.query(
      `SELECT o.id, o.jti, o.txn, o.event_type, o.user_id, o.session_id, o.stream_id, o.facts, o.created_at, o.attempts
         FROM signal_outbox o JOIN signal_streams s ON s.id = o.stream_id
        WHERE o.stream_id = $1 AND (s.status = 'enabled' OR o.event_type IN ('verification', 'stream-updated'))
        ORDER BY o.event_type IN ('verification', 'stream-updated') DESC, o.id LIMIT $2`,
      [streamId, limit],
    );
    return rows.map(toEvent);
  }

  /**
   * Pushes answered 202 (or refused for good): the events leave, the lease is renewed, the last
   * refusal (if any) is noted. One statement for a batch: a crash before it sends them again,
   * which receivers dedupe by jti.
   */
  async delivered(streamId: string, eventIds: string[], error: string | null): Promise<void> {
    await this.db.query(
      `WITH gone AS (DELETE FROM signal_outbox WHERE id = ANY($2::bigint[]))
       UPDATE signal_streams SET leased_until = now() + make_interval(secs => $3), last_delivered_at = now(),
              last_error = coalesce($4, last_error)
        WHERE id = $1`,
      [streamId, eventIds, LEASE_SECONDS, error],
    );
  }

  /** An event past the retry window: dropped, and the stream says why. */
  async expired(streamId: string, eventId: string, error: string): Promise<void> {
    await this.db.query(`WITH gone AS (DELETE FROM signal_outbox WHERE id = $2) UPDATE signal_streams SET last_error = $3 WHERE id = $1`, [streamId, eventId, error]);
  }

  /** A push failed: the stream waits `retryInSeconds` and keeps its order. */
  async failed(streamId: string, eventId: string, error: string, retryInSeconds: number): Promise<void> {
    await this.db.query(
      `WITH counted AS (UPDATE signal_outbox SET attempts = attempts + 1 WHERE id = $2)
       UPDATE signal_streams SET last_error = $3, leased_until = '-infinity', next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`,
      [streamId, eventId, error, retryInSeconds],
    );
  }

  /** Gives the stream back; due again at once. */
  async release(streamId: string): Promise<void> {
    await this.db.query(`UPDATE signal_streams SET leased_until = '-infinity' WHERE id = $1 AND next_attempt_at <= now()`, [streamId]);
  }

  /** Poll (RFC 8936): acknowledged events leave; refused ones leave too and are recorded. The kinds of those that left. */
  async acknowledge(streamId: string, jtis: string[], errors: { jti: string; error: string }[]): Promise<{ acknowledged: EventKind[]; refused: EventKind[] }> {
    const remove = async (ids: string[]): Promise<EventKind[]> => {
      if (ids.length === 0) return [];
      const rows = await this.db.query(
        `WITH gone AS (DELETE FROM signal_outbox WHERE stream_id = $1 AND jti = ANY($2::uuid[]) RETURNING event_type) SELECT event_type FROM gone`,
        [streamId, ids],
      );
      return rows.map((r: { event_type: EventKind }) => r.event_type);
    };
    const acknowledged = await remove(jtis);
    const refused = await remove(errors.map((e) => e.jti));
    if (refused.length) {
      await this.db.query(`UPDATE signal_streams SET last_error = $2 WHERE id = $1`, [streamId, errors.map((e) => `refused ${e.jti}: ${e.error}`).join("; ").slice(0, 1000)]);
    }
    return { acknowledged, refused };
  }

  /** Poll: what was handed out, by which key, and when. */
  async handedOut(streamId: string, eventIds: string[], kid: string): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.query(
      `WITH signed AS (UPDATE signal_outbox SET kid = $3, attempts = attempts + 1 WHERE id = ANY($2::bigint[]))
       UPDATE signal_streams SET last_delivered_at = now() WHERE id = $1`,
      [streamId, eventIds, kid],
    );
  }

  /**
   * Events older than the retry window on any stream (a poll receiver that stopped polling, a
   * stream paused for days): up to `batch` dropped, the kinds of those dropped returned.
   */
  async purgeOlderThan(hours: number, batch: number): Promise<EventKind[]> {
    const rows = await this.db.query(
      `WITH gone AS (
         DELETE FROM signal_outbox WHERE id IN (
           SELECT id FROM signal_outbox WHERE created_at < now() - make_interval(hours => $1) ORDER BY id LIMIT $2)
         RETURNING stream_id, event_type),
       noted AS (
         UPDATE signal_streams s SET last_error = 'events dropped: not delivered within ' || $1 || ' h'
          WHERE s.id IN (SELECT stream_id FROM gone))
       SELECT event_type FROM gone`,
      [hours, batch],
    );
    return rows.map((r: { event_type: EventKind }) => r.event_type);
  }

  /** Events waiting, by stream (for the metrics). */
  async pendingByStream(): Promise<{ streamId: string; pending: number }[]> {
    const rows = await this.db.query(`SELECT stream_id, count(*)::int AS pending FROM signal_outbox GROUP BY stream_id`);
    return rows.map((r: any) => ({ streamId: r.stream_id, pending: r.pending }));
  }
}
